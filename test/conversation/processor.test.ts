import path from 'node:path';
import { inboundAcceptor } from '../../src/channels/inbound/store';
import type { InboundEvent } from '../../src/channels/types';
import { createConversation, ConversationStore, type Understanding } from '../../src/conversation';
import { InboundProcessor } from '../../src/conversation/processor';
import { openPostgres, type Db } from '../../src/db';
import { loadTranslator } from '../../src/i18n';
import { createLogger } from '../../src/logger';
import { ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));
const at = new Date('2026-11-23T03:00:00Z');
const echoNlu: Understanding = {
  async parse(text) {
    if (text === 'boom') throw new Error('NLU exploded');
    return { text, intent: 'greeting', score: 0.99, procedure: null, entities: [] };
  },
};

const text = (id: string, user: string, t = 'xin chào'): InboundEvent => ({
  kind: 'message', channel: 'zalo', channelUserId: user, platformEventId: id, occurredAt: at, text: t,
});

describeEachDatabase('inbound processor', (getDb) => {
  const db = () => getDb().database.db;
  const processor = () =>
    new InboundProcessor({
      db: db(),
      logger: createLogger('silent'),
      maxAttempts: 2,
      conversationFor: (tx: Db) =>
        createConversation({ db: tx, appBaseUrl: 'http://localhost:3000', store: new ConversationStore(tx), procedures: new ProcedureRepository(tx), nlu: echoNlu, i18n, contextIdleMinutes: 30 }),
    });
  const outbox = () =>
    getDb().database.query<{ dedupe_key: string; recipient: { userId: string }; content: { reply: { text: string } } }>(
      'select dedupe_key, recipient, content from outbox order by id',
    );

  it('stores a redelivered event once and answers it once, in the order received per person', async () => {
    const accept = inboundAcceptor(getDb().database);
    await accept([text('m1', 'u1'), text('m2', 'u2')]);
    await accept([text('m1', 'u1'), text('m3', 'u1', 'chào lần nữa')]); // m1 redelivered
    await processor().drain();
    const rows = await outbox();
    // Different people are answered concurrently; one person's replies follow their messages' order.
    expect(rows.map((r) => r.recipient.userId).sort()).toEqual(['u1', 'u1', 'u2']);
    const u1 = rows.filter((r) => r.recipient.userId === 'u1');
    const eventIds = u1.map((r) => Number(r.dedupe_key.split(':')[1]));
    expect(eventIds[0]).toBeLessThan(eventIds[1]!);
    expect(u1[0]?.content.reply.text).toBe(i18n.t('smalltalk.greeting'));
    const events = await getDb().database.query<{ status: string }>('select status from inbound_events');
    expect(events).toHaveLength(3);
    expect(events.every((e) => e.status === 'done')).toBe(true);
  });

  it('answers media, follow and contact events, records the contact, and stays quiet on unfollow', async () => {
    const base = { channel: 'zalo' as const, channelUserId: 'u5', occurredAt: at };
    await inboundAcceptor(getDb().database)([
      { ...base, kind: 'follow', platformEventId: 'f1' },
      { ...base, kind: 'media', platformEventId: 'i1', mediaType: 'image' },
      { ...base, kind: 'contact', platformEventId: 's1', name: 'Nguyễn Văn A', phone: '0912345678' },
      { ...base, kind: 'unfollow', platformEventId: 'x1' },
    ]);
    await processor().drain();
    expect((await outbox()).map((r) => r.content.reply.text)).toEqual([
      i18n.t('smalltalk.welcome'),
      i18n.t('channel.mediaNotSupported'),
      i18n.t('channel.contactThanks'),
    ]);
    const [contact] = await getDb().database.query<{ phone: string; display_name: string; following: boolean }>(
      'select phone, display_name, following from channel_contacts',
    );
    expect(contact).toEqual({ phone: '0912345678', display_name: 'Nguyễn Văn A', following: false });
  });

  it('rolls back a failed event (no reply, no conversation change), retries it, then marks it failed without blocking the next', async () => {
    await inboundAcceptor(getDb().database)([text('b1', 'u7', 'boom'), text('b2', 'u7', 'xin chào')]);
    const p = processor();
    await p.drain();
    let events = await getDb().database.query<{ platform_event_id: string; status: string; attempts: number; last_error: string }>(
      'select platform_event_id, status, attempts, last_error from inbound_events order by id',
    );
    expect(events[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'NLU exploded' });
    expect(events[1]).toMatchObject({ status: 'pending' }); // waits behind b1: order is kept
    expect(await outbox()).toEqual([]);
    expect(await getDb().database.query('select 1 from messages')).toEqual([]);
    await getDb().database.query('update inbound_events set available_at = now()');
    await p.drain();
    events = await getDb().database.query('select platform_event_id, status, attempts, last_error from inbound_events order by id');
    expect(events.map((e) => e.status)).toEqual(['failed', 'done']);
    expect((await outbox()).map((r) => r.dedupe_key)).toHaveLength(1);
  });
});

describeEachDatabase('inbound processors in several processes', (getDb) => {
  it('keep each person in order while sharing the work', async () => {
    const { url } = getDb();
    // On PostgreSQL each processor gets its own pool, as separate processes would; PGlite has one connection.
    const pools = url ? [await openPostgres(url, 3), await openPostgres(url, 3)] : [getDb().database, getDb().database];
    try {
      const events: InboundEvent[] = [];
      for (let i = 0; i < 12; i += 1) for (const user of ['p1', 'p2', 'p3']) events.push(text(`${user}-${i}`, user, `xin chào ${i}`));
      await inboundAcceptor(getDb().database)(events);
      const make = (database: { db: Db }) =>
        new InboundProcessor({
          db: database.db,
          logger: createLogger('silent'),
          maxAttempts: 2,
          concurrency: 3,
          conversationFor: (tx: Db) =>
            createConversation({ db: tx, appBaseUrl: 'http://localhost:3000', store: new ConversationStore(tx), procedures: new ProcedureRepository(tx), nlu: echoNlu, i18n, contextIdleMinutes: 30 }),
        });
      await Promise.all(pools.map((p) => make(p).drain()));
      const rows = await getDb().database.query<{ user_id: string; text: string }>(
        "select c.channel_user_id as user_id, m.text from messages m join conversations c on c.id = m.conversation_id where m.direction = 'in' order by m.id",
      );
      expect(rows).toHaveLength(36);
      for (const user of ['p1', 'p2', 'p3']) {
        const seen = rows.filter((r) => r.user_id === user).map((r) => Number(r.text.split(' ').pop()));
        expect(seen).toEqual([...Array(12).keys()]);
      }
      expect(await getDb().database.query("select 1 from inbound_events where status <> 'done'")).toEqual([]);
    } finally {
      if (url) await Promise.all(pools.map((p) => p.close()));
    }
  });
});
