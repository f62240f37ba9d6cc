/**
 * The webhooks' acceptor: events are committed before `accept` resolves, concurrent webhooks share
 * one insert (group commit), and one event the database refuses fails only its own webhook. The
 * statements run on the real database; the tests also note which events each one carried, to see
 * which calls went together (PGlite's clock is too coarse to tell statements apart by their time).
 * (The insert's NOTIFY for web processes is tested with a real listener in test/worker/wakeups.test.ts.)
 */
import { inboundAcceptor } from '../../../src/channels/inbound/store';
import type { Database } from '../../../src/db';
import type { InboundEvent } from '../../../src/channels/types';
import { describeEachDatabase } from '../../support/db';

const at = new Date('2026-11-23T03:00:00Z');
const text = (id: string, user = 'u1', t = 'xin chào'): InboundEvent => ({
  kind: 'message', channel: 'zalo', channelUserId: user, platformEventId: id, occurredAt: at, text: t,
});

describeEachDatabase('inbound acceptor', (getDb) => {
  const rows = () => getDb().database.query<{ platform_event_id: string }>('select platform_event_id from inbound_events order by id');
  /** The database, noting the event ids each insert carried (in `inserts`, one list per statement). */
  let inserts: string[][] = [];
  const database = (): Database => {
    const real = getDb().database;
    return {
      ...real,
      preparedQuery: (name, text, params) => {
        inserts.push((JSON.parse(String(params[0])) as InboundEvent[]).map((e) => e.platformEventId));
        return real.preparedQuery(name, text, params);
      },
    };
  };
  const statements = () => inserts.length;
  beforeEach(() => {
    inserts = [];
  });

  it('has the events committed when accept resolves, in the order of the call', async () => {
    await inboundAcceptor(database())([text('a1'), text('a2'), text('a3')]);
    expect((await rows()).map((r) => r.platform_event_id)).toEqual(['a1', 'a2', 'a3']);
  });

  it('stores the webhooks read in one turn of the event loop together, in one insert', async () => {
    const accept = inboundAcceptor(database(), { maxConcurrentInserts: 1 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => accept([text(`g${i}`, `u${i}`)])));
    expect((await rows()).map((r) => r.platform_event_id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`).sort());
    expect(statements()).toBe(1);
  });

  it('stores webhooks that come after an insert has started together, in the next insert', async () => {
    const accept = inboundAcceptor(database(), { maxConcurrentInserts: 1 });
    const first = accept([text('g0', 'u0')]);
    // The first call's insert starts at the end of this turn; the nine below come in a later one.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, ...Array.from({ length: 9 }, (_, i) => accept([text(`g${i + 1}`, `u${i + 1}`)]))]);
    expect((await rows()).map((r) => r.platform_event_id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `g${i}`).sort());
    expect(statements()).toBe(2);
  });

  it('keeps a redelivery that shares an insert with the original to one row, and acknowledges both', async () => {
    const accept = inboundAcceptor(database(), { maxConcurrentInserts: 1 });
    await Promise.all([accept([text('first')]), accept([text('d1')]), accept([text('d1')])]);
    expect((await rows()).map((r) => r.platform_event_id)).toEqual(['first', 'd1']);
  });

  it('fails only the webhook whose event the database refuses, not the ones grouped with it', async () => {
    let nudges = 0;
    const accept = inboundAcceptor(database(), { onAccepted: () => (nudges += 1), maxConcurrentInserts: 1 });
    const results = await Promise.allSettled([
      accept([text('ok1')]),
      accept([text('ok2')]),
      accept([text('bad', 'u1', 'NUL \u0000 is not valid in jsonb')]),
      accept([text('ok3')]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect((await rows()).map((r) => r.platform_event_id).sort()).toEqual(['ok1', 'ok2', 'ok3']);
    expect(nudges).toBeGreaterThan(0);
  });

  it('does not split one call across inserts, even one larger than the row limit', async () => {
    const accept = inboundAcceptor(database(), { maxConcurrentInserts: 1, maxRowsPerInsert: 2 });
    await Promise.all([accept([text('s0')]), accept([text('b1', 'u2'), text('b2', 'u2'), text('b3', 'u2')]), accept([text('s1')])]);
    const stored = await rows();
    expect(stored.map((r) => r.platform_event_id)).toEqual(['s0', 'b1', 'b2', 'b3', 's1']);
    // s0 alone; the 3-event call alone (over the limit, never split); then s1.
    expect(inserts).toEqual([['s0'], ['b1', 'b2', 'b3'], ['s1']]);
  });
});
