/**
 * The per-sender limit in the inbound processor: a person flooding Zalo or Messenger gets answers up
 * to the limit, then their messages are stored (nothing lost, visible to officials) and marked
 * throttled, with one polite notice per flood.
 */
import path from 'node:path';
import { inboundAcceptor } from '../../src/channels/inbound/store';
import type { InboundEvent } from '../../src/channels/types';
import { createConversation, ConversationStore, type Understanding } from '../../src/conversation';
import { InboundProcessor } from '../../src/conversation/processor';
import type { Db } from '../../src/db';
import { loadTranslator } from '../../src/i18n';
import { createLogger } from '../../src/logger';
import { ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));
const start = new Date('2026-11-23T03:00:00Z').getTime();
const greetingNlu: Understanding = {
  async parse(text) {
    return { text, intent: 'greeting', score: 0.99, procedure: null, entities: [] };
  },
};

/** A text from `user`, `seconds` after the start (the platform's timestamp). */
const text = (id: string, user: string, seconds: number, channel: 'zalo' | 'messenger' = 'zalo'): InboundEvent => ({
  kind: 'message', channel, channelUserId: user, platformEventId: id, occurredAt: new Date(start + seconds * 1000), text: `tin ${id}`,
});

describeEachDatabase('per-sender limit in the inbound processor', (getDb) => {
  const db = () => getDb().database.db;
  const query = <T>(sql: string, params?: unknown[]) => getDb().database.query<T>(sql, params);
  const processor = (perMinute: number) =>
    new InboundProcessor({
      db: db(),
      logger: createLogger('silent'),
      maxAttempts: 2,
      senderLimit: { perMinute, i18n },
      conversationFor: (tx: Db) =>
        createConversation({ db: tx, appBaseUrl: 'http://localhost:3000', store: new ConversationStore(tx), procedures: new ProcedureRepository(tx), nlu: greetingNlu, i18n, contextIdleMinutes: 30 }),
    });
  const statuses = () => query<{ platform_event_id: string; status: string }>('select platform_event_id, status from inbound_events order by id');
  const repliesTo = async (user: string) =>
    (await query<{ text: string }>(
      "select o.content->'reply'->>'text' as text from outbox o where o.recipient->>'userId' = $1 order by o.id",
      [user],
    )).map((r) => r.text);

  it('answers up to the limit, then stores the rest unanswered with one notice; other people are not affected', async () => {
    const flood = [0, 1, 2, 3, 4, 5].map((s) => text(`a${s}`, 'flooder', s));
    await inboundAcceptor(getDb().database)([...flood, text('b0', 'calm', 3)]);
    await processor(3).drain();

    const byId = Object.fromEntries((await statuses()).map((e) => [e.platform_event_id, e.status]));
    expect(byId).toEqual({ a0: 'done', a1: 'done', a2: 'done', a3: 'throttled', a4: 'throttled', a5: 'throttled', b0: 'done' });
    const greeting = i18n.t('smalltalk.greeting');
    expect(await repliesTo('flooder')).toEqual([greeting, greeting, greeting, i18n.t('limits.senderThrottled')]);
    expect(await repliesTo('calm')).toEqual([greeting]);

    // Nothing lost: every message is in the conversation officials read, the excess marked throttled
    // and left without an intent (the bot did not read it).
    const stored = await query<{ text: string; intent: string | null; throttled: boolean }>(
      `select m.text, m.intent, coalesce((m.meta->>'throttled')::boolean, false) as throttled
       from messages m join conversations c on c.id = m.conversation_id
       where c.channel_user_id = 'flooder' and m.direction = 'in' order by m.id`,
    );
    expect(stored.map((m) => m.text)).toEqual(['tin a0', 'tin a1', 'tin a2', 'tin a3', 'tin a4', 'tin a5']);
    expect(stored.map((m) => m.throttled)).toEqual([false, false, false, true, true, true]);
    expect(stored.slice(3).every((m) => m.intent === null)).toBe(true);
    expect(stored.slice(0, 3).every((m) => m.intent === 'greeting')).toBe(true);
  });

  it('answers again once a quiet minute has passed, and a new flood gets a new notice', async () => {
    // Three in the first seconds, a fourth throttled; then, two minutes later, a new burst.
    const seconds = [0, 1, 2, 3, 120, 121, 122, 123, 124];
    await inboundAcceptor(getDb().database)(seconds.map((s) => text(`m${s}`, 'p', s)));
    await processor(3).drain();
    expect((await statuses()).map((e) => e.status)).toEqual(['done', 'done', 'done', 'throttled', 'done', 'done', 'done', 'throttled', 'throttled']);
    const notice = i18n.t('limits.senderThrottled');
    const greeting = i18n.t('smalltalk.greeting');
    expect(await repliesTo('p')).toEqual([greeting, greeting, greeting, notice, greeting, greeting, greeting, notice]);
  });

  it('counts per person and channel, and a redelivered event is neither stored nor noticed twice', async () => {
    const accept = inboundAcceptor(getDb().database);
    await accept([0, 1, 2].map((s) => text(`z${s}`, 'same-id', s, 'zalo')));
    await accept([0, 1, 2].map((s) => text(`f${s}`, 'same-id', s, 'messenger')));
    await accept([text('z3', 'same-id', 3, 'zalo')]);
    const p = processor(3);
    await p.drain();
    await accept([text('z3', 'same-id', 3, 'zalo')]); // the platform retried
    await p.drain();
    const rows = await query<{ channel: string; status: string }>('select channel, status from inbound_events order by id');
    expect(rows.filter((r) => r.channel === 'messenger').every((r) => r.status === 'done')).toBe(true);
    expect(rows.filter((r) => r.status === 'throttled')).toEqual([{ channel: 'zalo', status: 'throttled' }]);
    const notices = await query<{ n: number }>(
      "select count(*)::int as n from outbox where content->'reply'->>'text' = $1",
      [i18n.t('limits.senderThrottled')],
    );
    expect(notices[0]?.n).toBe(1);
  });

  it('sends no notice in a conversation an official has taken over (the message is still stored)', async () => {
    await inboundAcceptor(getDb().database)([0, 1].map((s) => text(`h${s}`, 'handled', s)));
    await processor(2).drain();
    await query("update conversations set status = 'human' where channel_user_id = 'handled'");
    await inboundAcceptor(getDb().database)([text('h2', 'handled', 2)]);
    await processor(2).drain();
    expect((await statuses()).map((e) => e.status)).toEqual(['done', 'done', 'throttled']);
    expect(await repliesTo('handled')).toEqual([i18n.t('smalltalk.greeting'), i18n.t('smalltalk.greeting')]);
    const [last] = await query<{ text: string }>("select text from messages where direction = 'in' order by id desc limit 1");
    expect(last?.text).toBe('tin h2');
  });

  it('without a limit configured, nobody is throttled', async () => {
    await inboundAcceptor(getDb().database)([0, 0, 0, 0, 0].map((s, i) => text(`n${i}`, 'n', s)));
    const p = new InboundProcessor({
      db: db(),
      logger: createLogger('silent'),
      maxAttempts: 2,
      conversationFor: (tx: Db) =>
        createConversation({ db: tx, appBaseUrl: 'http://localhost:3000', store: new ConversationStore(tx), procedures: new ProcedureRepository(tx), nlu: greetingNlu, i18n, contextIdleMinutes: 30 }),
    });
    await p.drain();
    expect((await statuses()).every((e) => e.status === 'done')).toBe(true);
  });
});
