/**
 * The dialogue logic, with a scripted NLU so each rule is tested on its own (the real NLU is
 * exercised end to end in test/e2e). The database is real.
 */
import path from 'node:path';
import { createConversation, ConversationStore, type Reply, type Understanding } from '../../src/conversation';
import { loadTranslator } from '../../src/i18n';
import type { Parse } from '../../src/nlu/types';
import { importKnowledgeBase, ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';
import { testOffice, testProcedure } from '../support/fixtures';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));

/** Answers from a table: text -> partial parse; anything else is `none` with a low score. */
function scriptedNlu(table: Record<string, Partial<Parse>>): Understanding {
  return {
    async parse(text) {
      return { text, intent: 'none', score: 0.2, procedure: null, entities: [], ...table[text] };
    },
  };
}

const nlu = scriptedNlu({
  'giấy tờ khai sinh': { intent: 'procedure.documents', score: 0.95, procedure: 'khai-sinh' },
  'còn lệ phí?': { intent: 'procedure.fee', score: 0.9 },
  'thế còn kết hôn?': { intent: 'none', score: 0.3, procedure: 'ket-hon' },
  'cần giấy tờ gì': { intent: 'procedure.documents', score: 0.9, procedureCandidates: [{ slug: 'ket-hon', score: 0.4 }] },
  'gặp cán bộ': { intent: 'handoff.human', score: 0.97 },
  'đánh giá': { intent: 'feedback.rate', score: 0.9 },
  'giờ làm việc': { intent: 'office.hours', score: 0.9 },
  'trời mưa không': { intent: 'none', score: 0.9 },
  'xin chào': { intent: 'greeting', score: 0.99 },
  'đặt lịch thẩm định': { intent: 'appraisal.book', score: 0.9 },
  'chứng thực giấy khai sinh cần gì': {
    intent: 'procedure.documents', score: 0.9, procedure: 'khai-sinh',
    procedureCandidates: [{ slug: 'khai-sinh', score: 1 }, { slug: 'ket-hon', score: 1 }],
  },
  'kết hôn phí với thời gian': {
    intent: 'procedure.fee', score: 0.55, procedure: 'ket-hon',
    intents: [{ intent: 'procedure.fee', score: 0.55 }, { intent: 'procedure.duration', score: 0.45 }],
  },
  'thủ tục kết hôn': { intent: 'procedure.list', score: 0.8, procedure: 'ket-hon' },
});

describeEachDatabase('conversation engine', (getDb) => {
  let now = new Date('2026-11-23T03:00:00Z'); // Monday 10:00 in Vietnam: office open
  const build = () => {
    const db = getDb().database.db;
    return {
      store: new ConversationStore(db),
      conversation: createConversation({
        db,
        appBaseUrl: 'http://localhost:3000',
        store: new ConversationStore(db),
        procedures: new ProcedureRepository(db),
        nlu,
        i18n,
        contextIdleMinutes: 30,
      }),
    };
  };
  const say = async (text: string, payload?: string, user = 'user-1'): Promise<Reply[]> =>
    build().conversation.handle({ channel: 'webchat', channelUserId: user, text: payload ? undefined : text, payload, receivedAt: now });

  beforeEach(async () => {
    now = new Date('2026-11-23T03:00:00Z');
    const kb = {
      offices: [testOffice],
      procedures: [
        testProcedure('khai-sinh', {
          name: 'Đăng ký khai sinh',
          documents: [
            { name: 'Tờ khai đăng ký khai sinh', form: 'form', quantity: 1 },
            { name: 'Giấy chứng sinh', form: 'original', quantity: 1 },
            { name: 'Văn bản ủy quyền (theo mẫu)', form: 'form', quantity: 1 },
          ],
        }),
        testProcedure('ket-hon', { name: 'Đăng ký kết hôn', fee: { amountVnd: 30000, exemptions: ['Người có công'] } }),
      ],
    };
    await importKnowledgeBase(new ProcedureRepository(getDb().database.db), JSON.stringify(kb), 'json');
  });

  it('answers the documents of the procedure asked about, as a list', async () => {
    const [reply] = await say('giấy tờ khai sinh');
    expect(reply?.text).toContain('hồ sơ đăng ký khai sinh gồm');
    expect(reply?.text).toContain('• Giấy chứng sinh (bản chính, 01 bản)');
    expect(reply?.text).toContain('• Tờ khai đăng ký khai sinh (theo mẫu, 01 bản)');
    expect(reply?.text).toContain('• Văn bản ủy quyền (theo mẫu) (01 bản)');
    expect(reply?.quickReplies?.map((q) => q.payload)).toContain('PROC:khai-sinh:fee');
  });

  it('keeps the procedure for a follow-up that names only an aspect, and the aspect for one naming only a procedure', async () => {
    await say('giấy tờ khai sinh');
    expect((await say('còn lệ phí?'))[0]?.text).toContain('thủ tục đăng ký khai sinh được miễn lệ phí');
    const [marriage] = await say('thế còn kết hôn?');
    expect(marriage?.text).toContain('lệ phí đăng ký kết hôn là 30.000 đồng');
    expect(marriage?.text).toContain('Người có công');
  });

  it('asks one short question when two procedures or two aspects fit equally, instead of guessing', async () => {
    const [which] = await say('chứng thực giấy khai sinh cần gì');
    expect(which?.text).toBe('Dạ, anh/chị muốn hỏi về đăng ký khai sinh hay đăng ký kết hôn ạ?');
    expect(which?.quickReplies?.map((q) => q.payload)).toEqual(['PROC:khai-sinh:documents', 'PROC:ket-hon:documents']);
    const [aspects] = await say('kết hôn phí với thời gian');
    expect(aspects?.text).toBe('Dạ, anh/chị muốn hỏi về lệ phí hay thời gian ạ?');
    expect(aspects?.quickReplies?.map((q) => q.payload)).toEqual(['PROC:ket-hon:fee', 'PROC:ket-hon:duration']);
  });

  it('gives the overview of a procedure named with "thủ tục …", not the whole list', async () => {
    const [reply] = await say('thủ tục kết hôn');
    expect(reply?.text).toContain('về thủ tục đăng ký kết hôn');
  });

  it('forgets the context after the idle time', async () => {
    await say('giấy tờ khai sinh');
    now = new Date(now.getTime() + 31 * 60_000);
    const [reply] = await say('còn lệ phí?');
    expect(reply?.text).toContain(i18n.t('procedure.askWhich'));
  });

  it('asks which procedure, with the candidates as quick replies, when none is known', async () => {
    const [reply] = await say('cần giấy tờ gì');
    expect(reply?.text).toBe(i18n.t('procedure.askWhich'));
    expect(reply?.quickReplies?.[0]).toEqual({ title: 'Đăng ký kết hôn', payload: 'PROC:ket-hon:documents' });
    // Tapping the candidate answers the aspect that was asked.
    const [answer] = await say('', 'PROC:ket-hon:documents');
    expect(answer?.text).toContain('hồ sơ đăng ký kết hôn gồm');
  });

  it('never answers a low-confidence message as if it understood it, and offers an official after two misses', async () => {
    const [first] = await say('blah blah');
    expect(first?.text).toBe(i18n.t('fallback.notUnderstood'));
    const [second] = await say('trời mưa không');
    expect(second?.text).toBe(i18n.t('fallback.offerHuman'));
    expect(second?.quickReplies?.map((q) => q.payload)).toContain('HANDOFF');
    // A third miss puts the conversation in the officials' queue by itself, and says so.
    const [third] = await say('blah blah blah');
    expect(third?.text).toBe(i18n.t('fallback.queuedForOfficial'));
    const conv = await build().store.findOrCreate('webchat', 'user-1');
    expect(conv).toMatchObject({ status: 'waiting_human', context: expect.objectContaining({ handoffReason: 'fallbacks' }) });
  });

  it('hands over to an official and records it, and tells the person when to expect an answer', async () => {
    const [reply] = await say('gặp cán bộ');
    expect(reply?.text).toContain('15 phút');
    const conv = await build().store.findOrCreate('webchat', 'user-1');
    expect(conv.status).toBe('waiting_human');
    expect((await say('gặp cán bộ'))[0]?.text).toBe(i18n.t('handoff.alreadyWaiting'));
  });

  it('outside office hours names the next opening', async () => {
    now = new Date('2026-11-24T12:00:00Z'); // Tuesday 19:00 in Vietnam
    const [reply] = await say('gặp cán bộ', undefined, 'user-night');
    expect(reply?.text).toContain('07:30 Thứ Tư');
  });

  it('stores a rating and its comment', async () => {
    const [ask] = await say('đánh giá');
    expect(ask?.quickReplies).toHaveLength(5);
    await say('4');
    const [thanks] = await say('Cán bộ hướng dẫn rất nhiệt tình');
    expect(thanks?.text).toBe(i18n.t('feedback.thanks'));
    const rows = await getDb().database.query<{ rating: number; comment: string }>('select rating, comment from feedback');
    expect(rows).toEqual([{ rating: 4, comment: 'Cán bộ hướng dẫn rất nhiệt tình' }]);
  });

  it('answers office hours with regular and special hours', async () => {
    const [reply] = await say('giờ làm việc');
    expect(reply?.text).toContain('Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00');
    expect(reply?.text).toContain('Sáng Chủ nhật');
  });

  it('stores every message with its intent and score, and ignores a redelivered platform message', async () => {
    const c = build().conversation;
    const msg = { channel: 'webchat' as const, channelUserId: 'u-dup', text: 'xin chào', platformMessageId: 'm-1', receivedAt: now };
    expect(await c.handle(msg)).toHaveLength(1);
    expect(await c.handle(msg)).toEqual([]);
    const rows = await getDb().database.query<{ direction: string; intent: string; score: number }>(
      "select m.direction, m.intent, m.score from messages m join conversations c on c.id = m.conversation_id where c.channel_user_id = 'u-dup' order by m.id",
    );
    expect(rows).toEqual([
      { direction: 'in', intent: 'greeting', score: expect.closeTo(0.99, 5) },
      { direction: 'out', intent: 'greeting', score: null },
    ]);
  });

  it('says honestly that booking is not available here and offers an official', async () => {
    const [reply] = await say('đặt lịch thẩm định');
    expect(reply?.text).toBe(i18n.t('unavailable.appraisal'));
    expect(reply?.quickReplies?.[0]?.payload).toBe('HANDOFF');
  });

  it('stays quiet while an official owns the conversation', async () => {
    await say('xin chào', undefined, 'u-human');
    await getDb().database.query("update conversations set status = 'human' where channel_user_id = 'u-human'");
    expect(await say('còn lệ phí?', undefined, 'u-human')).toEqual([]);
  });
});
