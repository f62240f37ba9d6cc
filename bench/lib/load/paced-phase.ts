/**
 * A fixed-rate phase with evenly spaced arrivals (open loop, as wrk2's `-R`): request i is due at
 * start + i/rate whatever the server is doing, goes out on a keep-alive connection from a pool that
 * grows as needed, and its latency counts from when it was DUE — so a server that falls behind
 * shows its full queueing delay (no coordinated omission), not a politely lowered offered rate.
 *
 * Why next to autocannon: autocannon's `overallRate` meters each connection per whole second, so
 * with 50 connections every second starts with all of them firing back to back — a burst of the
 * whole second's requests, then silence. Platforms deliver webhooks as a stream from many senders,
 * which evenly spaced arrivals model much better; the bench reports both.
 */
import http from 'node:http';
import type { PhaseResult } from './autocannon-phase';
import { percentile } from '../common';
import { sendPaced, summarize } from './latency';
import type { SignedWebhook } from './webhooks';

export interface PacedPhaseOptions {
  url: string;
  ratePerSec: number;
  durationSec: number;
  /** Builds request i (a new signed event each time). */
  build(index: number): SignedWebhook;
  /** Called with the platform event id of each request answered 2xx. */
  onAcknowledged(platformEventId: string): void;
  /** Per-request timeout (ms); a timed-out request counts as an error. Default 10 s. */
  timeoutMs?: number;
}

export interface PacedPhaseResult extends PhaseResult {
  /** Latest any request started after its due time (ms): above a few ms, this process could not keep the schedule. */
  maxStartLagMs: number;
}

type Outcome = { status: number; latencyMs: number } | { error: 'timeout' | 'connection'; latencyMs: number };

function post(agent: http.Agent, base: URL, req: SignedWebhook, timeoutMs: number, dueAt: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const r = http.request(
      { agent, host: base.hostname, port: base.port, method: 'POST', path: req.path, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.rawBody) } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, latencyMs: performance.now() - dueAt }));
        res.on('error', () => resolve({ error: 'connection', latencyMs: performance.now() - dueAt }));
      },
    );
    r.setTimeout(timeoutMs, () => {
      r.destroy();
      resolve({ error: 'timeout', latencyMs: performance.now() - dueAt });
    });
    r.on('error', () => resolve({ error: 'connection', latencyMs: performance.now() - dueAt }));
    r.end(req.rawBody);
  });
}

export async function runPacedPhase(o: PacedPhaseOptions): Promise<PacedPhaseResult> {
  const base = new URL(o.url);
  // As many connections as the server's answers need: a slow answer makes the next due request open
  // another connection instead of waiting for a free one.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const total = Math.round(o.ratePerSec * o.durationSec);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let ok2xx = 0;
  let non2xx = 0;
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();
  const { maxLagMs } = await sendPaced(Array.from({ length: total }, (_, i) => i), o.ratePerSec, async (i, _index, dueAt) => {
    const req = o.build(i);
    const outcome = await post(agent, base, req, o.timeoutMs ?? 10_000, dueAt);
    latencies.push(outcome.latencyMs);
    if ('error' in outcome) {
      errors += 1;
      if (outcome.error === 'timeout') timeouts += 1;
      return;
    }
    statusCodes[String(outcome.status)] = (statusCodes[String(outcome.status)] ?? 0) + 1;
    if (outcome.status >= 200 && outcome.status < 300) {
      ok2xx += 1;
      o.onAcknowledged(req.platformEventId);
    } else non2xx += 1;
  });
  const elapsedSec = (performance.now() - started) / 1000;
  agent.destroy();
  const s = summarize(latencies);
  return {
    durationSec: elapsedSec,
    requestsPerSec: (ok2xx + non2xx) / elapsedSec,
    latencyMs: { p50: round1(s.p50), p90: round1(percentile([...latencies].sort((a, b) => a - b), 90)), p99: round1(s.p99), max: round1(s.max) },
    ok2xx,
    non2xx,
    errors,
    timeouts,
    statusCodes,
    maxStartLagMs: round1(maxLagMs),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;
