/** A small, known appraisal calendar for tests (independent of the sample data's wording). */
import { tables, type Db } from '../../src/db';
import { createAppraisalService, type AppraisalService, type BookingRequest } from '../../src/appraisal';

export const PROCEDURE = 'buon-ban-thuoc-bvtv';
export const LINK_SECRET = 'test-link-secret';

/** A Vietnam wall-clock time as an instant: vn('2026-11-23T09:30'). */
export const vn = (local: string) => new Date(`${local}:00+07:00`);

/** Friday 20 November 2026, 08:00 in Vietnam: "now" in most tests. */
export const NOW = vn('2026-11-20T08:00');

const officeHours = [
  { days: [1, 2, 3, 4, 5], start: '07:30', end: '11:30' },
  { days: [1, 2, 3, 4, 5], start: '13:30', end: '17:00' },
];

export interface TestCalendar {
  minh: string;
  lan?: string;
}

/**
 * One appraisal type (45 min + 15 min buffer, Zalo video) and one appraiser (Minh, Mon–Fri office
 * hours, 6 a day), plus Lan (same hours, 6 a day) with `twoAppraisers`; a holiday on 2026-11-26.
 */
export async function seedCalendar(db: Db, opts: { twoAppraisers?: boolean; capacity?: number } = {}): Promise<TestCalendar> {
  await db.insert(tables.appraisalTypes).values({
    procedureSlug: PROCEDURE,
    sessionMinutes: 45,
    bufferMinutes: 15,
    videoChannel: 'zalo_video',
    checklist: [{ key: 'kho', label: 'Kho tách biệt' }],
    preparation: ['Điện thoại trên giá ba chân'],
  });
  const add = async (name: string) => {
    const [row] = await db
      .insert(tables.appraisers)
      .values({ name, procedures: [PROCEDURE], workingHours: officeHours, dailyCapacity: opts.capacity ?? 6 })
      .returning({ id: tables.appraisers.id });
    return row!.id;
  };
  const minh = await add('Nguyễn Văn Minh');
  const lan = opts.twoAppraisers ? await add('Trần Thị Lan') : undefined;
  await db.insert(tables.appraisalDaysOff).values({ day: '2026-11-26', reason: 'Ngày nghỉ thử' });
  return { minh, lan };
}

export function service(db: Db): AppraisalService {
  return createAppraisalService(db, { linkSecret: LINK_SECRET });
}

export function request(start: Date, overrides: Partial<BookingRequest> = {}): BookingRequest {
  return {
    procedure: PROCEDURE,
    start,
    businessName: 'Cửa hàng vật tư nông nghiệp Hòa Bình',
    address: 'Thôn 2, xã Hòa An',
    phone: '+84 912 345 678',
    source: 'api',
    ...overrides,
  };
}
