/**
 * Test harness of the appraisal console: the real console stack (sign-in, RBAC, CSRF, layout) with
 * the appraisal router and the real appraisal service on the test database, a fixed clock, and a
 * small calendar: the BVTV type with its checklist, an appraiser linked to a signed-in account, a
 * second appraiser, and helpers to put sessions straight into the table.
 */
import { eq } from 'drizzle-orm';
import request from 'supertest';
import { appraisalConsoleRouter } from '../../../src/admin/appraisal';
import { createAppraisalService } from '../../../src/appraisal';
import { tables, type Db } from '../../../src/db';
import { createLogger } from '../../../src/logger';
import type { Role } from '../../../src/admin/kit';
import { importKnowledgeBase, ProcedureRepository } from '../../../src/procedures';
import type { TestDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { createAdminTestApp, createOfficial, signIn, testI18n, type SignedIn, type TestOfficial } from '../auth/support';

export const i18n = testI18n;

/** Monday 23/11/2026, 10:00 in Vietnam (03:00 UTC). */
export const NOW = new Date('2026-11-23T03:00:00Z');

export const CHECKLIST = [
  { key: 'kho_tach_biet', label: 'Kho chứa thuốc tách biệt' },
  { key: 'pccc', label: 'Có bình chữa cháy còn hạn' },
  { key: 'chung_chi', label: 'Người bán có chứng chỉ <BVTV>' },
];

const HOURS = [
  { days: [1, 2, 3, 4, 5], start: '07:30', end: '11:30' },
  { days: [1, 2, 3, 4, 5], start: '13:30', end: '17:00' },
];

let codeCounter = 0;

export interface Harness {
  db: () => Db;
  app: () => ReturnType<typeof createAdminTestApp>['app'];
  outbound: { calls: number };
  /** The appraiser account linked to `appraiserId`, and other officials, created per test. */
  people: () => { appraiser: TestOfficial; officer: TestOfficial; viewer: TestOfficial; admin: TestOfficial; colleague: TestOfficial };
  appraiserId: () => string;
  colleagueId: () => string;
  as: (role: 'appraiser' | 'officer' | 'viewer' | 'admin' | 'colleague') => Promise<SignedIn>;
  insertSession: (opts: Partial<typeof tables.appraisalBookings.$inferInsert> & { startsAt: Date }) => Promise<string>;
  booking: (id: string) => Promise<typeof tables.appraisalBookings.$inferSelect>;
}

export function appraisalHarness(getDb: () => TestDatabase): Harness {
  const db = () => getDb().database.db;
  const outbound = { calls: 0 };
  let state: { people: ReturnType<Harness['people']>; appraiserId: string; colleagueId: string } | undefined;
  let built: ReturnType<typeof createAdminTestApp> | undefined;
  const app = () => {
    if (!built) {
      const service = createAppraisalService(db(), { i18n, linkSecret: 'test-link-secret' });
      built = createAdminTestApp(db(), {
        routers: (kit) => [
          appraisalConsoleRouter({ db: db(), kit, i18n, logger: createLogger('silent'), service, onOutbound: () => (outbound.calls += 1), clock: () => NOW }),
        ],
      });
    }
    return built.app;
  };

  beforeEach(async () => {
    built = undefined;
    outbound.calls = 0;
    const d = db();
    const kb = { offices: [testOffice], procedures: [testProcedure('buon-ban-thuoc-bvtv', { name: 'Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc BVTV' })] };
    await importKnowledgeBase(new ProcedureRepository(d), JSON.stringify(kb), 'json');
    await d.insert(tables.appraisalTypes).values({
      procedureSlug: 'buon-ban-thuoc-bvtv',
      sessionMinutes: 45,
      bufferMinutes: 15,
      videoChannel: 'meeting_link',
      meetingUrl: 'https://meet.example.gov.vn/tham-dinh',
      checklist: CHECKLIST,
      preparation: ['Điện thoại đặt trên giá ba chân.'],
      licenceValidityDays: 1825,
    });
    const role = (r: Role, name: string) => createOfficial(d, { role: r, name });
    const people = {
      appraiser: await role('appraiser', 'Hồ Thẩm Định'),
      colleague: await role('appraiser', 'Lê Đồng Nghiệp'),
      officer: await role('officer', 'Nguyễn Cán Bộ'),
      viewer: await role('viewer', 'Phạm Chỉ Xem'),
      admin: await role('admin', 'Trần Quản Trị'),
    };
    const [mine] = await d
      .insert(tables.appraisers)
      .values({ name: 'Hồ Thẩm Định', officialId: people.appraiser.id, procedures: ['buon-ban-thuoc-bvtv'], workingHours: HOURS, dailyCapacity: 6 })
      .returning();
    const [other] = await d
      .insert(tables.appraisers)
      .values({ name: 'Lê Đồng Nghiệp', officialId: people.colleague.id, procedures: ['buon-ban-thuoc-bvtv'], workingHours: HOURS, dailyCapacity: 6 })
      .returning();
    state = { people, appraiserId: mine!.id, colleagueId: other!.id };
  });

  const need = () => {
    if (!state) throw new Error('harness not set up');
    return state;
  };

  return {
    db,
    app,
    outbound,
    people: () => need().people,
    appraiserId: () => need().appraiserId,
    colleagueId: () => need().colleagueId,
    async as(who) {
      const o = need().people[who];
      return signIn(request.agent(app()), o.email, o.password);
    },
    async insertSession(opts) {
      codeCounter += 1;
      const endsAt = new Date(opts.startsAt.getTime() + 45 * 60_000);
      const [row] = await db()
        .insert(tables.appraisalBookings)
        .values({
          code: `TĐ-T${String(codeCounter).padStart(5, '0')}`,
          procedureSlug: 'buon-ban-thuoc-bvtv',
          appraiserId: need().appraiserId,
          endsAt,
          blockedUntil: new Date(endsAt.getTime() + 15 * 60_000),
          businessName: 'Cửa hàng Vật tư Nông nghiệp Hòa Bình',
          address: 'Số 12, thôn Đông, xã Tân Lập',
          phone: '0912345678',
          source: 'chat',
          ...opts,
        })
        .returning({ id: tables.appraisalBookings.id });
      return row!.id;
    },
    async booking(id) {
      const [row] = await db().select().from(tables.appraisalBookings).where(eqId(id));
      return row!;
    },
  };
}

const eqId = (id: string) => eq(tables.appraisalBookings.id, id);

/** Form post with the session's CSRF token. */
export function post(s: SignedIn, path: string, form: Record<string, string | string[]> = {}) {
  return s.agent.post(path).type('form').send(formBody({ _csrf: s.csrfToken, ...form }));
}

/** `application/x-www-form-urlencoded` as a browser sends it (repeated names for lists). */
export function formBody(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return params.toString();
}
