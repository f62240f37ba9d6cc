/** The sample appraisal calendar: valid, loaded once into an empty database, never over real data. */
import fs from 'node:fs';
import path from 'node:path';
import { appraisalSeedSchema, createAppraisalService, seedSampleAppraisal } from '../../src/appraisal';
import { tables } from '../../src/db';
import { describeEachDatabase } from '../support/db';
import { vn } from './support';

const SEED_DIR = path.resolve(__dirname, '../../data/seed');

describe('data/seed/appraisal.json', () => {
  const seed = appraisalSeedSchema.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, 'appraisal.json'), 'utf8')));
  it('is marked as sample and covers the two remotely appraised procedures', () => {
    expect(seed.sample).toBe(true);
    expect(seed.types.map((t) => t.procedureSlug).sort()).toEqual(['attp', 'buon-ban-thuoc-bvtv']);
    expect(seed.appraisers.length).toBeGreaterThanOrEqual(2);
    expect(seed.appraisers.some((a) => a.workingHours.some((p) => p.days.includes(6)))).toBe(true);
  });
  it('has the public holidays of 2026 and 2027 (Tết 2027 included)', () => {
    const days = seed.holidays.map((h) => h.day);
    for (const day of ['2026-01-01', '2026-02-17', '2026-04-30', '2026-05-01', '2026-09-02', '2027-01-01', '2027-02-08', '2027-09-02']) {
      expect(days).toContain(day);
    }
  });
});

describeEachDatabase('seedSampleAppraisal', (getDb) => {
  it('loads into empty tables once, then does nothing', async () => {
    const db = getDb().database.db;
    const first = await seedSampleAppraisal(db, SEED_DIR);
    expect(first).toMatchObject({ types: 2, appraisers: 3 });
    expect(await seedSampleAppraisal(db, SEED_DIR)).toBeNull();
    expect(await db.select().from(tables.appraisers)).toHaveLength(3);
    expect((await db.select().from(tables.appraisalTypes)).every((t) => t.isSample)).toBe(true);
    // The sample calendar books: Tuesday 24 Nov 2026, 2 days ahead; Tết 2027 has no slots.
    const s = createAppraisalService(db);
    const now = vn('2026-11-22T08:00');
    expect((await s.freeSlots({ procedure: 'buon-ban-thuoc-bvtv', from: '2026-11-24', days: 1, now })).length).toBeGreaterThan(0);
    expect(await s.freeSlots({ procedure: 'attp', from: '2027-02-08', days: 4, now })).toEqual([]);
  });

  it('never loads over an existing calendar', async () => {
    const db = getDb().database.db;
    await db.insert(tables.appraisers).values({ name: 'Cán bộ thật', procedures: ['attp'], workingHours: [] });
    expect(await seedSampleAppraisal(db, SEED_DIR)).toBeNull();
    expect(await db.select().from(tables.appraisalTypes)).toHaveLength(0);
  });
});
