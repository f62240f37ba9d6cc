import { OutboxWorker, enqueueOutbound, backoffMs, RateLimiter } from '../../src/outbox';
import { SendError, type OutboundMessage } from '../../src/channels/types';
import { createLogger } from '../../src/logger';
import { claimDue, markSent } from '../../src/outbox/store';
import { describeEachDatabase } from '../support/db';
import { recordingChannel } from '../support/test-channel';

const reply = (key: string, userId = 'u1', text = key): OutboundMessage => ({
  dedupeKey: key,
  channel: 'zalo',
  recipient: { userId },
  content: { type: 'reply', reply: { text } },
  purpose: 'reply',
});

describeEachDatabase('outbox worker', (getDb) => {
  const db = () => getDb().database.db;
  const rows = () =>
    getDb().database.query<{ dedupe_key: string; status: string; attempts: number; failure_reason: string | null; platform_message_id: string | null; mode: string | null }>(
      'select dedupe_key, status, attempts, failure_reason, platform_message_id, mode from outbox order by id',
    );
  const makeWorker = (channel = recordingChannel(), extra: Partial<ConstructorParameters<typeof OutboxWorker>[0]> = {}) =>
    new OutboxWorker({ db: db(), channels: { zalo: channel }, logger: createLogger('silent'), ratePerMinute: {}, maxAttempts: 3, ...extra });

  it('sends each message once, in order per recipient, and records the platform id', async () => {
    const channel = recordingChannel();
    expect(await enqueueOutbound(db(), [reply('a1'), reply('a2'), reply('b1', 'u2')])).toBe(3);
    expect(await enqueueOutbound(db(), [reply('a1')])).toBe(0); // same dedupe key: refused
    await makeWorker(channel).drain();
    await makeWorker(channel).drain(); // a second worker finds nothing left
    expect(channel.sent.map((s) => s.message.dedupeKey).sort()).toEqual(['a1', 'a2', 'b1']);
    const u1 = channel.sent.filter((s) => s.message.recipient.userId === 'u1').map((s) => s.message.dedupeKey);
    expect(u1).toEqual(['a1', 'a2']);
    expect((await rows()).every((r) => r.status === 'sent' && r.platform_message_id?.startsWith('pm-') && r.mode === 'zalo_cs')).toBe(true);
  });

  it('makes a job run on its own clock due by that clock, and never later than the wall clock', async () => {
    const year = 365 * 24 * 3_600_000;
    const past = new Date(Date.now() - year);
    const future = new Date(Date.now() + year);
    await enqueueOutbound(db(), [{ ...reply('replayed-day'), purpose: 'reminder' }], { plannedAt: past });
    await enqueueOutbound(db(), [{ ...reply('ahead-of-time', 'u2'), purpose: 'reminder' }], { plannedAt: future });
    // A tick replayed for a day a year ago sends what it planned in its own pass, on its own clock...
    const replayed = await claimDue(db(), 10, 60_000, past);
    expect(replayed.map((r) => r.message.dedupeKey)).toEqual(['replayed-day']);
    await markSent(db(), replayed[0]?.id ?? -1, 'zalo_cs', 'pm-1');
    // ...and what a tick planned a year ahead is not held back from a worker on the wall clock.
    expect((await claimDue(db(), 10, 60_000)).map((r) => r.message.dedupeKey)).toEqual(['ahead-of-time']);
  });

  it('retries a transient failure with backoff and sends once it recovers', async () => {
    const channel = recordingChannel();
    channel.failures.push(new SendError('transient', 'HTTP 502'));
    await enqueueOutbound(db(), [reply('t1')]);
    await makeWorker(channel).drainOnce();
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    await getDb().database.query('update outbox set next_attempt_at = now()');
    await makeWorker(channel).drain();
    [row] = await rows();
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(channel.sent).toHaveLength(1);
  });

  it("keeps a person's order while their first message waits to retry, without holding back others", async () => {
    const channel = recordingChannel();
    // o1's first send fails, whichever recipient the worker happens to send to first.
    const send = channel.sender.send.bind(channel.sender);
    let o1Failed = false;
    channel.sender.send = async (message, mode) => {
      if (message.dedupeKey === 'o1' && !o1Failed) {
        o1Failed = true;
        throw new SendError('transient', 'HTTP 502');
      }
      return send(message, mode);
    };
    await enqueueOutbound(db(), [reply('o1'), reply('o2'), reply('x1', 'u2')]);
    await makeWorker(channel).drain();
    // o1 failed and waits for its backoff: o2 must not overtake it; u2 is not held back.
    expect(channel.sent.map((s) => s.message.dedupeKey)).toEqual(['x1']);
    expect((await rows()).map((r) => [r.dedupe_key, r.status])).toEqual([['o1', 'pending'], ['o2', 'pending'], ['x1', 'sent']]);
    await getDb().database.query("update outbox set next_attempt_at = now() where dedupe_key = 'o1'");
    await makeWorker(channel).drain();
    expect(channel.sent.map((s) => s.message.dedupeKey)).toEqual(['x1', 'o1', 'o2']);
  });

  it('serves replies ahead of a broadcast backlog, even to a person whose broadcast is still queued', async () => {
    const channel = recordingChannel();
    const broadcast = (n: number): OutboundMessage => ({ ...reply(`b${n}`, `f${n}`), purpose: 'broadcast' });
    await enqueueOutbound(db(), Array.from({ length: 30 }, (_, i) => broadcast(i)));
    // f7 writes to the bot while the broadcast to them is still queued; u9 gets an official's answer.
    await enqueueOutbound(db(), [reply('r1', 'f7'), reply('r2', 'f7'), { ...reply('h1', 'u9'), purpose: 'human_reply' }]);
    const claimed = await claimDue(db(), 5, 60_000);
    // Within the interactive lane one message per person, oldest first; the bulk lane fills the rest.
    expect(claimed.map((r) => r.message.dedupeKey)).toEqual(['r1', 'h1', 'b0', 'b1', 'b2']);
    await getDb().database.query("update outbox set status = 'pending', attempts = 0, claimed_until = null");
    const worker = makeWorker(channel, { batchSize: 5 });
    const sentKeys = () => channel.sent.map((s) => s.message.dedupeKey).sort();
    await worker.drainOnce();
    expect(sentKeys()).toEqual(['b0', 'b1', 'b2', 'h1', 'r1']);
    await worker.drainOnce(); // f7's second reply goes next, not after the other 27 broadcasts
    expect(sentKeys()).toEqual(['b0', 'b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'h1', 'r1', 'r2']);
    await worker.drain();
    expect(channel.sent).toHaveLength(33);
  });

  it('fails visibly, with the reason, on a permanent error and after too many transient ones', async () => {
    const channel = recordingChannel();
    channel.failures.push(new SendError('permanent', 'user blocked the OA', -227));
    await enqueueOutbound(db(), [reply('p1')]);
    await makeWorker(channel).drain();
    expect((await rows())[0]).toMatchObject({ status: 'failed', failure_reason: 'permanent (-227): user blocked the OA' });

    channel.failures.push(...[1, 2, 3].map(() => new SendError('transient', 'timeout')));
    await enqueueOutbound(db(), [reply('p2')]);
    for (let i = 0; i < 3; i += 1) {
      await makeWorker(channel).drainOnce();
      await getDb().database.query('update outbox set next_attempt_at = now()');
    }
    expect((await rows())[1]).toMatchObject({ status: 'failed', attempts: 3, failure_reason: expect.stringMatching(/^gave up after 3 attempts/) });
  });

  it("waits out the platform's rate limit without counting it as a failed attempt", async () => {
    const channel = recordingChannel();
    channel.failures.push(new SendError('rate_limited', 'too many requests', -32, 60_000));
    await enqueueOutbound(db(), [reply('r1')]);
    await makeWorker(channel).drain();
    const [row] = await getDb().database.query<{ status: string; attempts: number; wait: number }>(
      'select status, attempts, extract(epoch from next_attempt_at - now()) as wait from outbox',
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(Number(row!.wait)).toBeGreaterThan(50);
  });

  it('follows the policy: waits until morning, or refuses with its reason', async () => {
    const channel = recordingChannel();
    const morning = new Date(Date.now() + 8 * 3600_000);
    channel.decide = (m) =>
      m.dedupeKey === 'night' ? { action: 'wait', until: morning, reason: 'quiet hours' } : { action: 'refuse', reason: 'outside the window' };
    await enqueueOutbound(db(), [reply('night'), reply('old', 'u9')]);
    await makeWorker(channel).drain();
    expect(channel.sent).toEqual([]);
    const all = await getDb().database.query<{ dedupe_key: string; status: string; waiting_reason: string; failure_reason: string }>(
      'select dedupe_key, status, waiting_reason, failure_reason from outbox order by id',
    );
    expect(all).toEqual([
      { dedupe_key: 'night', status: 'pending', waiting_reason: 'quiet hours', failure_reason: null },
      { dedupe_key: 'old', status: 'failed', waiting_reason: null, failure_reason: 'outside the window' },
    ]);
  });

  it('re-sends a message whose worker died between claim and send, exactly once', async () => {
    const channel = recordingChannel();
    await enqueueOutbound(db(), [reply('c1')]);
    // A worker claims it and dies: the row stays "sending" until the claim expires.
    await getDb().database.query("update outbox set status = 'sending', attempts = 1, claimed_until = now() + interval '1 minute'");
    await makeWorker(channel).drain();
    expect(channel.sent).toHaveLength(0);
    await getDb().database.query("update outbox set claimed_until = now() - interval '1 second'");
    await makeWorker(channel).drain();
    await makeWorker(channel).drain();
    expect(channel.sent.map((s) => s.message.dedupeKey)).toEqual(['c1']);
  });

  it('when the platform says the window closed, asks the policy for another way (e.g. ZNS) before failing', async () => {
    const channel = recordingChannel();
    await getDb().database.query(
      "insert into channel_contacts (channel, channel_user_id, last_inbound_at, phone) values ('zalo', 'u1', now() - interval '1 hour', '0912345678')",
    );
    channel.decide = (_m, facts) =>
      facts.lastInboundAt ? { action: 'send', mode: { via: 'zalo_cs' } } : { action: 'send', mode: { via: 'zalo_zns', templateId: 'tpl-1' } };
    channel.failures.push(new SendError('outside_window', 'no interaction in 7 days', -230));
    await enqueueOutbound(db(), [reply('w1')]);
    await makeWorker(channel).drain();
    expect(channel.sent.map((s) => s.mode)).toEqual([{ via: 'zalo_zns', templateId: 'tpl-1' }]);
    expect((await rows())[0]).toMatchObject({ status: 'sent', mode: 'zalo_zns' });

    // No other way: the failure is visible with the platform's reason.
    channel.decide = () => ({ action: 'send', mode: { via: 'zalo_cs' } });
    channel.failures.push(new SendError('outside_window', 'no interaction in 7 days', -230));
    await enqueueOutbound(db(), [reply('w2')]);
    await makeWorker(channel).drain();
    expect((await rows())[1]).toMatchObject({ status: 'failed', failure_reason: 'outside_window (-230): no interaction in 7 days' });
  });

  it('keeps to its own send rate', async () => {
    const channel = recordingChannel();
    await enqueueOutbound(db(), [1, 2, 3, 4].map((i) => reply(`rl${i}`, `user-${i}`)));
    await makeWorker(channel, { ratePerMinute: { zalo: 2 } }).drain();
    // 2 a minute is one every 30 s: the first goes now, the others wait their turn.
    expect(channel.sent).toHaveLength(1);
    expect((await rows()).filter((r) => r.status === 'pending')).toHaveLength(3);
  });
});

describe('backoff and rate limiter', () => {
  it('admits no more than the limit in any rolling minute, however late the timers fired', async () => {
    let now = 0;
    const limiter = new RateLimiter({ zalo: 3 }, () => now);
    const slept: number[] = [];
    const sleep = async (ms: number) => {
      slept.push(ms);
      now += ms;
    };
    const admitted: number[] = [];
    // Four sends bunched at t = 0, 10, 20, 30 ms (late timers): the fourth must wait for a minute (+ margin) after the first.
    for (const at of [0, 10, 20, 30]) {
      now = Math.max(now, at);
      await limiter.admit('zalo', sleep);
      admitted.push(now);
    }
    expect(admitted.slice(0, 3)).toEqual([0, 10, 20]);
    expect(admitted[3]).toBeGreaterThan(60_000);
    for (let i = 3; i < admitted.length; i += 1) expect(admitted[i]! - admitted[i - 3]!).toBeGreaterThan(60_000);
    await limiter.admit('other', sleep); // no limit configured: never waits
    expect(slept).toHaveLength(1);
  });

  it('backs off exponentially with jitter, up to a cap', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });

  it('paces sends so that no 60-second window holds more than the limit, even after idling', () => {
    let now = 0;
    const limiter = new RateLimiter({ zalo: 60 }, () => now);
    expect(limiter.take('zalo').ok).toBe(true);
    expect(limiter.take('zalo')).toEqual({ ok: false, waitMs: 1000 });
    now += 1000;
    expect(limiter.take('zalo').ok).toBe(true);
    expect(limiter.take('other').ok).toBe(true);
    // Idle for an hour: no saved-up burst.
    now += 3_600_000;
    expect(limiter.take('zalo').ok).toBe(true);
    expect(limiter.take('zalo').ok).toBe(false);
    // Sending as fast as allowed for two minutes: every rolling 60 s window holds at most 60 sends.
    const sent: number[] = [];
    const start = now;
    while (now < start + 120_000) {
      const r = limiter.take('zalo');
      if (r.ok) sent.push(now);
      now += r.ok ? 1 : r.waitMs;
    }
    for (const t of sent) expect(sent.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(60);
    expect(sent.length).toBeGreaterThanOrEqual(119);
  });
});
