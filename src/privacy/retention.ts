/**
 * The retention run (Decree 13/2023/NĐ-CP: personal data is kept only as long as its purpose needs):
 * each step of retention-steps.ts in bounded batches, one statement and so one short transaction
 * per batch, until a batch comes back short. A run that hits the batch cap stops there and reports
 * `complete: false`; the next run carries on where the data says it should (nothing is remembered).
 */
import type { Db } from '../db';
import { vietnamToday } from '../licences';
import { RETENTION_STEPS, runStepBatch, type RetentionCutoffs, type RetentionStepName } from './retention-steps';

const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  /** `RETENTION_CONVERSATION_DAYS`: chat content and identities idle this long are anonymised. */
  conversationDays: number;
  /** `RETENTION_RAW_DAYS`: raw events, sent bodies, link codes and sign-in attempts older than this go. */
  rawDays: number;
}

export interface RetentionOptions {
  /** Rows per batch (per statement). */
  batchSize?: number;
  /** Batches per step and run: bounds one run's length after a long pause; the rest waits a night. */
  maxBatchesPerStep?: number;
}

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_MAX_BATCHES_PER_STEP = 500;

export interface RetentionSummary {
  /** Rows anonymised or deleted, per step. */
  counts: Record<RetentionStepName, number>;
  /** False when a step stopped at `maxBatchesPerStep` with work left. */
  complete: boolean;
}

/** The cut-off moments of a run at `now`. */
export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  const conversation = new Date(now.getTime() - policy.conversationDays * DAY_MS);
  return {
    now,
    conversation,
    conversationDay: vietnamToday(conversation),
    raw: new Date(now.getTime() - policy.rawDays * DAY_MS),
  };
}

/** Applies the retention policy as of `now`. Safe to run again at any time, by any number of workers. */
export async function runRetention(db: Db, policy: RetentionPolicy, now: Date, options: RetentionOptions = {}): Promise<RetentionSummary> {
  const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxBatches = options.maxBatchesPerStep ?? DEFAULT_MAX_BATCHES_PER_STEP;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`retention: batchSize must be a positive whole number, not ${limit}`);
  const cutoffs = retentionCutoffs(policy, now);
  const counts = Object.fromEntries(RETENTION_STEPS.map((s) => [s, 0])) as Record<RetentionStepName, number>;
  let complete = true;
  for (const step of RETENTION_STEPS) {
    let after = 0;
    let batches = 0;
    for (;;) {
      const batch = await runStepBatch(step, db, cutoffs, limit, after);
      counts[step] += batch.count;
      batches += 1;
      if (batch.count < limit) break;
      if (batches >= maxBatches) {
        complete = false;
        break;
      }
      after = batch.last ?? after;
    }
  }
  return { counts, complete };
}
