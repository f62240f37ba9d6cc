/**
 * Why a conversation goes to the officials' inbox — asked for, accepted after repeated misses, or a
 * low rating — and that the reason survives until an official hands the conversation back.
 */
import path from 'node:path';
import { createConversation, ConversationStore, type Understanding } from '../../src/conversation';
import { loadTranslator } from '../../src/i18n';
import type { Parse } from '../../src/nlu/types';
import { importKnowledgeBase, ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';
import { testOffice, testProcedure } from '../support/fixtures';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));
const table: Record<string, Partial<Parse>> = {
  'gặp cán bộ': { intent: 'handoff.human', score: 0.97 },
  'đánh giá': { intent: 'feedback.rate', score: 0.9 },
  'lệ phí kết hôn': { intent: 'procedure.fee', score: 0.93, procedure: 'ket-hon' },
};
const nlu: Understanding = {
  async parse(text) {
    return { text, intent: 'none', score: 0.2, procedure: null, entities: [], ...table[text] };
  },
};

describeEachDatabase('hand-over reasons', (getDb) => {
  const T0 = new Date('2026-11-23T03:00:00Z'); // Monday 10:00 in Vietnam
  const store = () => new ConversationStore(getDb().database.db);
  const say = (user: string, text: string | undefined, payload?: string, at = T0) =>
    createConversation({ db: getDb().database.db, appBaseUrl: 'http://localhost:3000', store: store(), procedures: new ProcedureRepository(getDb().database.db), nlu, i18n, contextIdleMinutes: 30 }).handle({
      channel: 'webchat',
      channelUserId: user,
      text,
      payload,
      receivedAt: at,
    });
  const state = async (user: string) => {
    const c = await store().findOrCreate('webchat', user);
    const [row] = await getDb().database.query<{ handoff_requested_at: Date | null }>(
      'select handoff_requested_at from conversations where id = $1',
      [c.id],
    );
    return { status: c.status, reason: c.context.handoffReason, requestedAt: row?.handoff_requested_at ?? null };
  };

  beforeEach(async () => {
    const kb = { offices: [testOffice], procedures: [testProcedure('ket-hon', { name: 'Đăng ký kết hôn' })] };
    await importKnowledgeBase(new ProcedureRepository(getDb().database.db), JSON.stringify(kb), 'json');
  });

  it('records an explicit request as such', async () => {
    await say('u-ask', 'gặp cán bộ');
    expect(await state('u-ask')).toEqual({ status: 'waiting_human', reason: 'request', requestedAt: T0 });
  });

  it('records a hand-over accepted after repeated misses, tapped or typed, as the bot failing', async () => {
    await say('u-tap', 'abc');
    await say('u-tap', 'xyz');
    await say('u-tap', undefined, 'HANDOFF');
    expect((await state('u-tap')).reason).toBe('fallbacks');
    await say('u-type', 'abc');
    await say('u-type', 'xyz');
    await say('u-type', 'gặp cán bộ');
    expect(await state('u-type')).toMatchObject({ status: 'waiting_human', reason: 'fallbacks' });
  });

  it('puts a conversation rated 1 or 2 stars in the queue, but not a good rating', async () => {
    await say('u-low', 'đánh giá');
    const [askComment] = await say('u-low', undefined, 'RATE:2');
    // The person is told an official will follow up, since the conversation is now in their queue.
    expect(askComment?.text).toBe(`${i18n.t('feedback.askComment', { n: 2 })}\n${i18n.t('feedback.officialFollowUp')}`);
    expect(await state('u-low')).toEqual({ status: 'waiting_human', reason: 'low_rating', requestedAt: T0 });
    // The comment still reaches the rating, and the bot keeps answering while the person waits.
    await say('u-low', 'Chờ lâu quá');
    expect((await getDb().database.query<{ comment: string }>('select comment from feedback'))[0]?.comment).toBe('Chờ lâu quá');
    expect((await say('u-low', 'lệ phí kết hôn'))[0]?.text).toContain('kết hôn');

    await say('u-ok', 'đánh giá');
    expect((await say('u-ok', '3'))[0]?.text).toBe(i18n.t('feedback.askComment', { n: 3 }));
    expect(await state('u-ok')).toMatchObject({ status: 'bot', reason: undefined, requestedAt: null });
  });

  it('keeps the reason through the idle reset of the topic while an official is awaited', async () => {
    await say('u-idle', 'gặp cán bộ');
    await say('u-idle', 'lệ phí kết hôn', undefined, new Date(T0.getTime() + 3 * 3_600_000));
    const c = await store().findOrCreate('webchat', 'u-idle');
    expect(c.context).toMatchObject({ handoffReason: 'request', procedure: 'ket-hon' });
  });

  it('does not count a low rating given while an official is awaited as a second request', async () => {
    await say('u-both', 'gặp cán bộ');
    await say('u-both', 'đánh giá');
    await say('u-both', '1');
    expect(await state('u-both')).toMatchObject({ status: 'waiting_human', reason: 'request' });
  });
});
