/** The database itself refuses two overlapping live sessions of one appraiser (migration 0003). */
import { sql } from 'drizzle-orm';
import { describeEachDatabase } from '../support/db';

describeEachDatabase('appraisal_bookings exclusion constraint', (getDb) => {
  it('refuses an overlapping booked session and allows it once the first is cancelled', async () => {
    const db = getDb().database.db;
    const inserted = await db.execute(sql`insert into appraisers (name, procedures, working_hours) values ('A', '[]', '[]') returning id`);
    const [a] = (inserted as unknown as { rows: { id: string }[] }).rows;
    const insert = (code: string, start: string, end: string) =>
      db.execute(sql`insert into appraisal_bookings (code, procedure_slug, appraiser_id, starts_at, ends_at, blocked_until, business_name, address, phone, source)
        values (${code}, 'attp', ${a!.id}, ${start}, ${end}, ${end}, 'X', 'Y', '0912345678', 'api')`);
    await insert('A1', '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
    const refused = await insert('A2', '2026-12-01T02:30:00Z', '2026-12-01T03:30:00Z').then(() => null, (err: unknown) => err);
    // drizzle wraps the driver's error; the cause is PostgreSQL's exclusion_violation.
    expect((refused as { cause?: { code?: string; constraint?: string } } | null)?.cause).toMatchObject({
      code: '23P01',
      constraint: 'appraisal_bookings_no_overlap',
    });
    // Back to back is fine: ranges are half-open.
    await insert('A3', '2026-12-01T03:00:00Z', '2026-12-01T04:00:00Z');
    await db.execute(sql`update appraisal_bookings set status = 'cancelled' where code = 'A1'`);
    await insert('A4', '2026-12-01T02:00:00Z', '2026-12-01T03:00:00Z');
  });
});
