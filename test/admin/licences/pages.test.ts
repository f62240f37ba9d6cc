/**
 * The licence console: who may do what, the list's search, filters and pages, a licence with its
 * linked chat identities and reminder history, and the audited CSV export.
 */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { LicenceRepository, type LicenceInput } from '../../../src/licences';
import { vietnamToday, shiftIsoDate } from '../../../src/licences';
import { describeEachDatabase } from '../../support/db';
import { seedProcedures } from '../../licences/support';
import { licencesApp, signedIn, text } from './support';

const licence = (number: string, over: Partial<LicenceInput> = {}): LicenceInput => ({
  number,
  procedureSlug: 'attp',
  holderName: `Cơ sở ${number}`,
  phone: null,
  issuedOn: '2024-01-01',
  expiresOn: shiftIsoDate(vietnamToday(), 400),
  source: 'import',
  ...over,
});

describeEachDatabase('admin licences: pages', (getDb) => {
  const db = () => getDb().database.db;
  const repo = () => new LicenceRepository(db());

  beforeEach(async () => {
    await seedProcedures(db());
  });

  it('lets officers and viewers read, only officers import and export, and nobody else in', async () => {
    const app = licencesApp(db());
    await repo().upsertMany([licence('1/GP')]);
    const id = (await repo().findByNumber('1/GP'))!.id;
    const expected: Record<string, Record<string, number>> = {
      officer: { list: 200, detail: 200, import: 200, export: 200, post: 400 },
      admin: { list: 200, detail: 200, import: 200, export: 200, post: 400 },
      viewer: { list: 200, detail: 200, import: 403, export: 403, post: 403 },
      appraiser: { list: 403, detail: 403, import: 403, export: 403, post: 403 },
    };
    for (const [role, want] of Object.entries(expected)) {
      const { agent, csrfToken } = await signedIn(db(), app, role as never);
      const got = {
        list: (await agent.get('/admin/licences')).status,
        detail: (await agent.get(`/admin/licences/${id}`)).status,
        import: (await agent.get('/admin/licences/import')).status,
        export: (await agent.get('/admin/licences/export.csv')).status,
        post: (await agent.post('/admin/licences/import').type('form').send({ _csrf: csrfToken, action: 'check' })).status,
      };
      expect({ role, ...got }).toEqual({ role, ...want });
    }
    const stranger = await request(app).get('/admin/licences');
    expect(stranger.status).toBe(302);
    expect(stranger.headers.location).toMatch(/^\/admin\/login\?next=/);
    const { agent } = await signedIn(db(), app, 'officer');
    expect((await agent.post('/admin/licences/import').type('form').send({ action: 'check' })).status).toBe(403);
  });

  it('searches by number, holder and phone, filters by type and expiry, and pages', async () => {
    const today = vietnamToday();
    await repo().upsertMany([
      licence('A-1/GP', { holderName: 'Quán Phở Hòa Đức', phone: '0912345678', expiresOn: shiftIsoDate(today, 10) }),
      licence('A-2/GP', { holderName: 'Đại lý Minh Phát', procedureSlug: 'buon-ban-thuoc-bvtv', expiresOn: shiftIsoDate(today, 45) }),
      licence('A-3/GP', { holderName: 'Tạp hóa Cũ', expiresOn: shiftIsoDate(today, -3) }),
      ...Array.from({ length: 27 }, (_, i) => licence(`B-${String(i).padStart(2, '0')}/GP`)),
    ]);
    const { agent } = await signedIn(db(), licencesApp(db()), 'viewer');
    const numbers = async (query: string) => [...(await agent.get(`/admin/licences${query}`).expect(200)).text.matchAll(/<code>([^<]+)<\/code>/g)].map((m) => m[1]);

    expect(await numbers('?q=pho+hoa+duc')).toEqual(['A-1/GP']);
    expect(await numbers('?q=0912+345+678')).toEqual(['A-1/GP']);
    expect(await numbers('?q=a-2%2Fgp')).toEqual(['A-2/GP']);
    expect(await numbers('?type=buon-ban-thuoc-bvtv')).toEqual(['A-2/GP']);
    expect(await numbers('?expiry=30')).toEqual(['A-1/GP']);
    expect(await numbers('?expiry=60')).toEqual(['A-1/GP', 'A-2/GP']);
    expect(await numbers('?expiry=expired')).toEqual(['A-3/GP']);
    // Nonsense filters mean "no filter", never an error.
    expect(await numbers('?expiry=7&type=%3Cscript%3E&page=abc')).toHaveLength(25);

    const first = await agent.get('/admin/licences').expect(200);
    expect(text(first.text)).toContain('Tìm thấy 30 giấy phép.');
    expect(text(first.text)).toContain('Trang 1/2');
    expect(first.text).toContain('href="/admin/licences?page=2"');
    expect(text(first.text)).toContain('Đã hết hạn 3 ngày');
    expect(text(first.text)).toContain('Còn 10 ngày');
    // Procedure names, not slugs, in the type filter.
    expect(first.text).toContain('>Đăng ký thành lập hộ kinh doanh</option>');
    const second = await agent.get('/admin/licences?page=2&expiry=90').expect(200);
    expect(text(second.text)).toContain('Tìm thấy 2 giấy phép.');
    expect(await numbers('?page=2')).toHaveLength(5);
    // A viewer sees no import or export buttons.
    expect(first.text).not.toContain('/admin/licences/import');
  });

  it('shows a licence with its linked chat identities and reminder history with outbox status', async () => {
    await repo().upsertMany([licence('77/GCN-ATTP', { holderName: 'Bếp ăn <An>', phone: '0912345678', expiresOn: '2026-09-30' })]);
    const l = (await repo().findByNumber('77/GCN-ATTP'))!;
    await db().insert(tables.licenceLinks).values([
      { licenceId: l.id, channel: 'zalo', channelUserId: 'zu-1', verifiedBy: 'code' },
      { licenceId: l.id, channel: 'messenger', channelUserId: 'psid-9', verifiedBy: 'zalo_phone_share', unsubscribedAt: new Date('2026-05-01T03:00:00Z') },
    ]);
    const key = `licence:${l.id}:expiry:2026-09-30:30`;
    await db().insert(tables.outbox).values({
      dedupeKey: key, channel: 'zalo', recipient: { userId: 'zu-1' }, content: { type: 'reply' }, purpose: 'reminder',
      status: 'failed', mode: 'zalo_cs', failureReason: 'Zalo -230: quá 7 ngày không tương tác',
    });
    await db().insert(tables.licenceReminders).values([
      { licenceId: l.id, expiresOn: '2026-09-30', step: 30, dueOn: '2026-08-31', status: 'queued', deliveries: [{ channel: 'zalo', dedupeKey: key }] },
      { licenceId: l.id, expiresOn: '2026-09-30', step: 60, dueOn: '2026-08-01', status: 'no_channel', deliveries: [], note: 'không có kênh' },
      { licenceId: l.id, expiresOn: '2026-09-30', step: -1, dueOn: '2026-10-01', status: 'queued', deliveries: [{ channel: 'messenger', dedupeKey: 'gone' }] },
    ]);
    const { agent } = await signedIn(db(), licencesApp(db()), 'officer');
    const page = await agent.get(`/admin/licences/${l.id}`).expect(200);
    const t = text(page.text);
    expect(page.text).toContain('Bếp ăn &lt;An&gt;');
    expect(t).toContain('Giấy phép 77/GCN-ATTP');
    expect(t).toContain('30/09/2026');
    expect(t).toMatch(/zalo zu-1 Mã xác nhận một lần .* Đang nhận nhắc hạn/);
    expect(t).toMatch(/psid-9 Chia sẻ số điện thoại trên Zalo .* Đã ngừng nhận từ 01\/05\/2026 10:00/);
    expect(t).toMatch(/01\/10\/2026 Sau hạn 1 ngày .* messenger : Không còn trong hàng đợi/);
    expect(t).toMatch(/31\/08\/2026 Trước hạn 30 ngày .* Đã xếp gửi zalo \(zalo_cs\): Gửi không được — Zalo -230/);
    expect(t).toMatch(/01\/08\/2026 Trước hạn 60 ngày .* Không có kênh liên lạc: cán bộ cần gọi điện .* không có kênh/);

    expect((await agent.get('/admin/licences/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await agent.get('/admin/licences/not-an-id')).status).toBe(404);
  });

  it('exports the filtered register as CSV with formulas neutralised, and audits who took it', async () => {
    await repo().upsertMany([
      licence('1/GP', { holderName: '=HYPERLINK("http://x.test")', phone: '0912345678', expiresOn: '2027-01-31' }),
      licence('2/GP', { procedureSlug: 'ho-kinh-doanh' }),
    ]);
    const officer = await signedIn(db(), licencesApp(db()), 'officer');
    const res = await officer.agent.get('/admin/licences/export.csv?type=attp').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?giay-phep-\d{4}-\d\d-\d\d\.csv"?$/);
    const rows = parse(res.text.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { 'Số giấy phép': '1/GP', Loại: 'attp', 'Tên cơ sở': '\'=HYPERLINK("http://x.test")', 'Số điện thoại': '0912345678', 'Ngày cấp': '01/01/2024', 'Ngày hết hạn': '31/01/2027', 'Địa chỉ': '', 'Phường/xã': '' },
    ]);
    const audits = await db().select().from(tables.auditLog).where(eq(tables.auditLog.action, 'licence.export'));
    expect(audits).toMatchObject([{ officialId: officer.id, entity: 'licence', after: { filter: { procedure: 'attp' } } }]);
  });
});
