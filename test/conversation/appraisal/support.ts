/**
 * A chat with the appraisal flow on a real database and the real NLU: the knowledge base is the
 * sample one (its procedure names are what people type), the appraisal calendar is our own small
 * one (two types, one appraiser on office hours), so the tests do not hang on the sample calendar.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createAppraisalService } from '../../../src/appraisal';
import { createConversation, ConversationStore, type Reply } from '../../../src/conversation';
import { tables, type Db } from '../../../src/db';
import { loadTranslator } from '../../../src/i18n';
import { createNlu, type Nlu } from '../../../src/nlu';
import { importKnowledgeBase, ProcedureRepository, toProcedureRef } from '../../../src/procedures';
import { sharedNluCacheDir } from '../../support/app';

const root = path.resolve(__dirname, '../../..');
export const i18n = loadTranslator(path.join(root, 'locales'));
export const LINK_SECRET = 'chat-test-link-secret';
export const BASE_URL = 'https://motcua.example.gov.vn';

/** A Vietnam wall-clock time as an instant: vn('2026-11-23T09:30'). */
export const vn = (local: string) => new Date(`${local}:00+07:00`);
/** Monday 23 November 2026, 10:00 in Vietnam. */
export const MONDAY_10 = vn('2026-11-23T10:00');

const kbFile = path.join(root, 'data/seed/knowledge-base.json');
let nluPromise: Promise<Nlu> | undefined;

/** The real NLU on the knowledge base in `db`, trained once per test file (cached across files). */
export async function realNlu(db: Db): Promise<Nlu> {
  nluPromise ??= (async () => {
    fs.mkdirSync(sharedNluCacheDir, { recursive: true });
    const procedures = (await new ProcedureRepository(db).listActive()).map(toProcedureRef);
    return createNlu({ intentsDir: path.join(root, 'intents'), cacheDir: sharedNluCacheDir, procedures });
  })();
  return nluPromise;
}

const officeHours = [
  { days: [1, 2, 3, 4, 5], start: '07:30', end: '11:30' },
  { days: [1, 2, 3, 4, 5], start: '13:30', end: '17:00' },
];

/** The sample knowledge base, two appraisal types and one appraiser; returns the appraiser's id. */
export async function seedChatCalendar(db: Db): Promise<string> {
  await importKnowledgeBase(new ProcedureRepository(db), fs.readFileSync(kbFile, 'utf8'), 'json');
  await db.insert(tables.appraisalTypes).values([
    {
      procedureSlug: 'buon-ban-thuoc-bvtv',
      sessionMinutes: 45,
      bufferMinutes: 15,
      videoChannel: 'zalo_video',
      checklist: [{ key: 'kho', label: 'Kho thuốc tách biệt' }],
      preparation: ['Điện thoại đặt trên giá ba chân, đủ pin.', 'Để sẵn sổ ghi chép nhập xuất thuốc.'],
    },
    {
      procedureSlug: 'attp',
      sessionMinutes: 40,
      bufferMinutes: 20,
      videoChannel: 'meeting_link',
      meetingUrl: 'https://meet.example.gov.vn/attp',
      checklist: [{ key: 'bep', label: 'Bếp một chiều' }],
      preparation: ['Mở sẵn đường dẫn phòng họp.'],
    },
  ]);
  const [row] = await db
    .insert(tables.appraisers)
    .values({ name: 'Nguyễn Thị Thẩm', procedures: ['buon-ban-thuoc-bvtv', 'attp'], workingHours: officeHours, dailyCapacity: 6 })
    .returning({ id: tables.appraisers.id });
  return row!.id;
}

export interface ChatClock {
  now: Date;
}

/** One person chatting (`user` on `channel`), with a clock the test moves. */
export function chatAs(db: () => Db, nlu: Nlu, clock: ChatClock, user = 'shop-1', channel: 'webchat' | 'zalo' | 'messenger' = 'zalo') {
  const conversation = () =>
    createConversation({
      db: db(),
      appBaseUrl: BASE_URL,
      appraisal: (tx) => createAppraisalService(tx, { linkSecret: LINK_SECRET, i18n }),
      store: new ConversationStore(db()),
      procedures: new ProcedureRepository(db()),
      nlu,
      i18n,
      contextIdleMinutes: 30,
    });
  const send = async (message: { text?: string; payload?: string }): Promise<Reply> => {
    clock.now = new Date(clock.now.getTime() + 20_000);
    const replies = await conversation().handle({ channel, channelUserId: user, ...message, receivedAt: clock.now });
    if (replies.length !== 1) throw new Error(`expected one reply, got ${JSON.stringify(replies)}`);
    return replies[0]!;
  };
  return {
    say: (text: string) => send({ text }),
    tap: (payload: string) => send({ payload }),
    /** The payload of the chip whose title is `title` in `reply`. */
    chip(reply: Reply, title: string | RegExp): string {
      const all = [...(reply.quickReplies ?? []), ...(reply.buttons ?? [])];
      const found = all.find((q) => (typeof title === 'string' ? q.title === title : title.test(q.title)));
      if (!found || !('payload' in found) || !found.payload) throw new Error(`no chip ${String(title)} in ${JSON.stringify(all.map((q) => q.title))}`);
      return found.payload;
    },
  };
}
