/**
 * Loads the sample appraisal calendar (`data/seed/appraisal.json`: types, appraisers, holidays)
 * into an empty database at start, so a fresh install can book at once. Idempotent: it does
 * nothing once any appraisal type or appraiser exists, and two processes starting together are
 * serialised by an advisory lock, so the sample is never loaded twice or over real data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import { appraisalSeedSchema } from './model';

export const SAMPLE_APPRAISAL_FILE = 'appraisal.json';

export interface AppraisalSeedSummary {
  types: number;
  appraisers: number;
  daysOff: number;
}

export async function seedSampleAppraisal(db: Db, seedDir: string): Promise<AppraisalSeedSummary | null> {
  const seed = appraisalSeedSchema.parse(JSON.parse(fs.readFileSync(path.join(seedDir, SAMPLE_APPRAISAL_FILE), 'utf8')));
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('appraisal-sample-seed'))`);
    const [types] = await tx.select({ n: sql<number>`count(*)::int` }).from(tables.appraisalTypes);
    const [people] = await tx.select({ n: sql<number>`count(*)::int` }).from(tables.appraisers);
    if ((types?.n ?? 0) > 0 || (people?.n ?? 0) > 0) return null;
    await tx.insert(tables.appraisalTypes).values(seed.types.map((t) => ({ ...t, isSample: true })));
    let daysOff = 0;
    for (const a of seed.appraisers) {
      const [row] = await tx
        .insert(tables.appraisers)
        .values({ name: a.name, phone: a.phone, procedures: a.procedures, workingHours: a.workingHours, dailyCapacity: a.dailyCapacity, isSample: true })
        .returning({ id: tables.appraisers.id });
      if (!row) throw new Error('appraiser insert returned no row');
      if (a.daysOff.length > 0) {
        await tx.insert(tables.appraisalDaysOff).values(a.daysOff.map((d) => ({ appraiserId: row.id, day: d.day, reason: d.reason })));
        daysOff += a.daysOff.length;
      }
    }
    if (seed.holidays.length > 0) {
      await tx.insert(tables.appraisalDaysOff).values(seed.holidays.map((h) => ({ appraiserId: null, day: h.day, reason: h.reason })));
      daysOff += seed.holidays.length;
    }
    return { types: seed.types.length, appraisers: seed.appraisers.length, daysOff };
  });
}
