/** The delivery outcomes summary over the outbox: by purpose and outcome, by mode, and reasons grouped. */
import { classifyOutbox, deliveryOutcomes, reasonKey, CANCELLED_REASON } from '../../src/broadcasts';
import { REFUSE_OUTSIDE_WINDOW } from '../../src/channels/zalo';
import { describeEachDatabase } from '../support/db';
import { DAY, HOUR, T0 } from './support';

describe('outcome classification', () => {
  it('tells policy refusals from send failures by the outbox worker\'s reason format', () => {
    const failed = (reason: string) => classifyOutbox({ status: 'failed', failureReason: reason, waitingReason: null, held: false }).kind;
    expect(failed(REFUSE_OUTSIDE_WINDOW)).toBe('refused');
    expect(failed('outside the Messenger 24-hour window (last message from the person 30 h ago)')).toBe('refused');
    expect(failed('permanent (-227): user blocked the OA')).toBe('failed');
    expect(failed('outside_window (-230): no interaction in 7 days')).toBe('failed');
    expect(failed('gave up after 3 attempts: transient: timeout')).toBe('failed');
    expect(failed('channel zalo is not configured')).toBe('failed');
    expect(failed(CANCELLED_REASON)).toBe('cancelled');
    expect(classifyOutbox({ status: 'pending', failureReason: null, waitingReason: 'Zalo quiet hours (22:00–06:00 Vietnam time)', held: true })).toEqual({
      kind: 'waiting',
      reason: 'Zalo quiet hours (22:00–06:00 Vietnam time)',
    });
    // A reason left from an earlier wait does not make a message that is due now "waiting".
    expect(classifyOutbox({ status: 'pending', failureReason: null, waitingReason: 'rate limit (ours)', held: false }).kind).toBe('queued');
    expect(reasonKey('outside the Messenger 24-hour window (last message from the person 30 h ago)')).toBe('messengerOutsideWindow');
    expect(reasonKey('something new')).toBeUndefined();
  });
});

describeEachDatabase('delivery outcomes', (getDb) => {
  const q = (text: string, params?: unknown[]) => getDb().database.query(text, params);
  let n = 0;
  const row = async (purpose: string, status: string, opts: { mode?: string; failure?: string; waiting?: string; next?: Date; created?: Date } = {}) => {
    n += 1;
    await q(
      `insert into outbox (dedupe_key, channel, recipient, content, purpose, status, mode, failure_reason, waiting_reason, next_attempt_at, created_at)
       values ($1, 'zalo', '{"userId":"u"}', '{"type":"reply","reply":{"text":"x"}}', $2, $3, $4, $5, $6, $7, $8)`,
      [`k-${n}`, purpose, status, opts.mode ?? null, opts.failure ?? null, opts.waiting ?? null, opts.next ?? T0, opts.created ?? T0],
    );
  };

  it('counts by purpose and outcome within the period, with modes and reasons', async () => {
    await row('reminder', 'sent', { mode: 'zalo_cs' });
    await row('reminder', 'sent', { mode: 'zalo_zns' });
    await row('reminder', 'sent', { mode: 'zalo_zns' });
    await row('reminder', 'failed', { failure: REFUSE_OUTSIDE_WINDOW });
    await row('broadcast', 'failed', { failure: REFUSE_OUTSIDE_WINDOW });
    await row('broadcast', 'failed', { failure: 'outside the Messenger 24-hour window (last message from the person 30 h ago)' });
    await row('broadcast', 'failed', { failure: 'outside the Messenger 24-hour window (last message from the person 52 h ago)' });
    await row('broadcast', 'failed', { failure: 'permanent (-227): user blocked the OA' });
    await row('broadcast', 'pending', { waiting: 'Zalo quiet hours (22:00–06:00 Vietnam time)', next: new Date(T0.getTime() + 8 * HOUR) });
    await row('reply', 'pending');
    await row('reply', 'sent', { mode: 'zalo_cs', created: new Date(T0.getTime() - 10 * DAY) }); // before the period

    const out = await deliveryOutcomes(getDb().database.db, new Date(T0.getTime() - DAY), new Date(T0.getTime() + DAY), T0);
    expect(out.purposes).toEqual(['broadcast', 'reminder', 'reply']);
    expect(out.byPurpose.reminder).toEqual({ sent: 3, queued: 0, waiting: 0, refused: 1, failed: 0, cancelled: 0 });
    expect(out.byPurpose.broadcast).toEqual({ sent: 0, queued: 0, waiting: 1, refused: 3, failed: 1, cancelled: 0 });
    expect(out.byPurpose.reply).toEqual({ sent: 0, queued: 1, waiting: 0, refused: 0, failed: 0, cancelled: 0 });
    expect(out.sentByMode.reminder).toEqual({ zalo_cs: 1, zalo_zns: 2 });
    expect(out.reasons.map((r) => [r.purpose, r.kind, r.key ?? r.reason, r.count])).toEqual([
      ['broadcast', 'refused', 'messengerOutsideWindow', 2],
      expect.anything(),
      expect.anything(),
      expect.anything(),
      expect.anything(),
    ]);
    expect(out.reasons.map((r) => [r.purpose, r.kind, r.key ?? r.reason, r.count]).slice(1).sort()).toEqual([
      ['broadcast', 'failed', 'blockedOrNotFollower', 1],
      ['broadcast', 'refused', 'zaloOutsideWindow', 1],
      ['broadcast', 'waiting', 'quietHours', 1],
      ['reminder', 'refused', 'zaloOutsideWindow', 1],
    ]);
  });
});
