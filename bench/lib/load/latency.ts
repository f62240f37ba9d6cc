/**
 * Latency summaries the load benches print (nearest-rank percentiles from bench/lib/common.ts), and
 * a paced sender: fires one call per 1/rate seconds on a fixed schedule, not waiting for answers,
 * so a slow server makes answers late rather than quietly lowering the offered rate.
 */
import { percentile } from '../common';

export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.length === 0 ? Number.NaN : sorted.reduce((s, v) => s + v, 0) / sorted.length;
  return {
    count: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `send(item, i, dueAt)` for every item at `ratePerSec`, on schedule (item i at start + i/rate,
 * `dueAt` that moment on `performance.now()`'s clock, so a caller can measure latency from when the
 * request was due rather than from when a late timer fired it); resolves when every call has
 * settled. Returns how late, at most, a call started (ms), which says whether this process kept
 * the schedule.
 */
export async function sendPaced<T>(
  items: readonly T[],
  ratePerSec: number,
  send: (item: T, index: number, dueAt: number) => Promise<void>,
): Promise<{ maxLagMs: number }> {
  const start = performance.now();
  const calls: Promise<void>[] = [];
  let maxLagMs = 0;
  for (const [i, item] of items.entries()) {
    const due = start + (i * 1000) / ratePerSec;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    calls.push(send(item, i, due));
  }
  await Promise.all(calls);
  return { maxLagMs };
}
