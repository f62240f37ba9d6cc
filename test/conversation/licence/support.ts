/** A conversation with a scripted intent table but the real entity recognisers (licence numbers, phones). */
import path from 'node:path';
import { createConversation, ConversationStore, type Reply, type Understanding } from '../../../src/conversation';
import type { Channel } from '../../../src/conversation/types';
import type { Db } from '../../../src/db';
import { loadTranslator } from '../../../src/i18n';
import { locateAllEntities, toEntity } from '../../../src/nlu/entities';
import type { Parse } from '../../../src/nlu/types';
import { ProcedureRepository } from '../../../src/procedures';

export const i18n = loadTranslator(path.resolve(__dirname, '../../../locales'));

/** Intent by the first table key the message contains; entities as the NLU finds them. */
export function scriptedNlu(table: Record<string, Partial<Parse>>): Understanding {
  return {
    async parse(text, now = new Date()) {
      const key = Object.keys(table).find((k) => text.includes(k));
      const entities = locateAllEntities(text, now).map(toEntity);
      return { text, intent: 'none', score: 0.2, procedure: null, entities, ...(key ? table[key] : {}) };
    },
  };
}

export const licenceNlu = scriptedNlu({
  'đăng ký nhắc hạn': { intent: 'reminder.subscribe', score: 0.97 },
  'còn hạn không': { intent: 'licence.expiry', score: 0.95 },
  'hết hạn khi nào': { intent: 'licence.expiry', score: 0.95 },
  'tắt nhắc hạn': { intent: 'reminder.unsubscribe', score: 0.96 },
  'lệ phí kết hôn': { intent: 'procedure.fee', score: 0.93, procedure: 'ket-hon' },
});

/** Sends messages as one person and returns the replies. */
export function chatAs(getDb: () => Db, nlu: Understanding, clock: () => Date) {
  return async (who: { channel: Channel; userId: string }, message: { text?: string; payload?: string; contactShared?: boolean }): Promise<Reply[]> => {
    const db = getDb();
    const conversation = createConversation({
      db,
      appBaseUrl: 'http://localhost:3000',
      store: new ConversationStore(db),
      procedures: new ProcedureRepository(db),
      nlu,
      i18n,
      contextIdleMinutes: 30,
    });
    return conversation.handle({ channel: who.channel, channelUserId: who.userId, ...message, receivedAt: clock() });
  };
}
