/**
 * An access or erasure request handled in the console: the search and its review, the JSON
 * download (headers, content), the typed confirmation, the refusal when the data changed, and
 * audit rows that say who did what without repeating the person's data.
 */
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { vietnamToday } from '../../../src/licences';
import { describeEachDatabase } from '../../support/db';
import { conversationOf, dumpPersonalTables, seedPerson } from '../../privacy/support';
import { fingerprintFrom, privacyApp, privacyAudit, signedIn, text } from './support';

const HOUR = 3_600_000;

describeEachDatabase('admin privacy: requests', (getDb) => {
  const db = () => getDb().database.db;

  async function setUp() {
    const person = await seedPerson(db(), { userId: 'zalo5001', phone: '0955000001', at: new Date(Date.now() - HOUR), licenceNumber: '55/GCN-BVTV', bookingStartsAt: new Date(Date.now() + 48 * HOUR) });
    const other = await seedPerson(db(), { userId: 'zalo5002', phone: '0955000002', at: new Date(Date.now() - HOUR) });
    const app = privacyApp(db());
    const admin = await signedIn(db(), app, 'admin');
    const post = (path: string, form: Record<string, string>) => admin.agent.post(path).type('form').send({ _csrf: admin.csrfToken, ...form });
    return { person, other, admin, post };
  }

  it('finds a person and shows what is held, or says clearly what is wrong', async () => {
    const { person, other, post } = await setUp();
    const found = await post('/admin/privacy/search', { kind: 'licence', value: '55 / gcn-bvtv' });
    expect(found.status).toBe(200);
    const page = text(found.text);
    for (const shown of [person.userId, person.name, person.phone, '55/GCN-BVTV', 'Lịch thẩm định (hồ sơ chính thức)']) expect(page).toContain(shown);
    expect(page).not.toContain(other.userId);
    expect(found.text).toContain('name="fingerprint"');

    const badPhone = await post('/admin/privacy/search', { kind: 'phone', value: '123' });
    expect(badPhone.status).toBe(400);
    expect(text(badPhone.text)).toContain('số điện thoại chưa đúng');
    const nobody = await post('/admin/privacy/search', { kind: 'identity', channel: 'zalo', value: 'khong-co-ai' });
    expect(nobody.status).toBe(404);
    expect(text(nobody.text)).toContain('Không tìm thấy dữ liệu nào');
    // The lookup is on record, with counts and the kind of search only.
    const [lookup] = await privacyAudit(db());
    expect(lookup).toMatchObject({ action: 'personal_data.lookup', after: { lookup: 'licence', counts: { messages: 3, licences: 1, bookings: 1 } } });
  });

  it('downloads everything held as a JSON attachment, and records who took it', async () => {
    const { person, other, admin, post } = await setUp();
    const res = await post('/admin/privacy/export', { kind: 'identity', channel: 'zalo', value: person.userId, requestRef: '12/PYC-2026' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename=du-lieu-ca-nhan-${vietnamToday()}.json`);
    expect(res.headers['cache-control']).toBe('no-store');
    const data = JSON.parse(res.text);
    expect(data.identities[0]).toMatchObject({ channel: 'zalo', userId: person.userId, contact: { displayName: person.name } });
    expect(data.identities[0].messages).toHaveLength(3);
    expect(data.licences.map((l: { number: string }) => l.number)).toEqual(['55/GCN-BVTV']);
    expect(res.text).not.toContain(other.userId);

    const [entry] = await privacyAudit(db());
    expect(entry).toMatchObject({ action: 'personal_data.export', officialId: admin.id, after: { lookup: 'identity', requestRef: '12/PYC-2026' } });
    for (const personal of [person.userId, person.phone, person.name]) expect(JSON.stringify(entry)).not.toContain(personal);

    // A reference that carries the person's phone would put it in the log: refused.
    const leaky = await post('/admin/privacy/export', { kind: 'identity', channel: 'zalo', value: person.userId, requestRef: `gọi 0955 000 001` });
    expect(leaky.status).toBe(400);
    expect(leaky.headers['content-disposition']).toBeUndefined();
  });

  it('erases only after the typed confirmation, in one step with an audit row free of personal data', async () => {
    const { person, other, admin, post } = await setUp();
    const review = await post('/admin/privacy/search', { kind: 'phone', value: person.phone });
    const form = { kind: 'phone', value: person.phone, fingerprint: fingerprintFrom(review.text), requestRef: '7/PYC-2026' };
    const before = await dumpPersonalTables(db());

    const unconfirmed = await post('/admin/privacy/erase', { ...form, confirm: 'XOA' });
    expect(unconfirmed.status).toBe(400);
    expect(text(unconfirmed.text)).toContain('gõ đúng chữ XÓA');
    const leakyRef = await post('/admin/privacy/erase', { ...form, confirm: 'XÓA', requestRef: person.userId });
    expect(leakyRef.status).toBe(400);
    expect(await dumpPersonalTables(db())).toBe(before);

    const done = await post('/admin/privacy/erase', { ...form, confirm: ' xóa ' });
    expect(done.status).toBe(200);
    expect(text(done.text)).toContain('Đã xóa dữ liệu cá nhân theo yêu cầu');
    expect(text(done.text)).toContain('1 giấy phép, 1 lịch thẩm định');
    expect(await conversationOf(db(), 'zalo', person.userId)).toBeUndefined();
    expect(await conversationOf(db(), 'zalo', other.userId)).toBeDefined();
    const [booking] = await db().select().from(tables.appraisalBookings).where(eq(tables.appraisalBookings.id, person.bookingId!));
    expect(booking).toMatchObject({ phone: person.phone, channelUserId: null });

    const [entry] = await privacyAudit(db());
    expect(entry).toMatchObject({
      action: 'personal_data.erase',
      officialId: admin.id,
      entityId: null,
      before: null,
      after: { lookup: 'phone', requestRef: '7/PYC-2026', counts: { identities: 1, messages: 3, contacts: 1 }, kept: { licences: 1, bookings: 1 } },
    });
    const audited = JSON.stringify(entry);
    for (const personal of [person.userId, person.phone, person.name, 'Tôi là']) expect(audited).not.toContain(personal);

    // Nothing left to find but the official records; a second erase of the same review is refused.
    const again = await post('/admin/privacy/erase', { ...form, confirm: 'XÓA' });
    expect(again.status).toBe(409);
  });

  it('refuses to erase what changed since the review, and shows the new picture', async () => {
    const { person, post } = await setUp();
    const review = await post('/admin/privacy/search', { kind: 'phone', value: person.phone });
    await db().insert(tables.channelContacts).values({ channel: 'messenger', channelUserId: 'psid5009', displayName: 'Người mới', phone: person.phone });
    const before = await dumpPersonalTables(db());

    const res = await post('/admin/privacy/erase', { kind: 'phone', value: person.phone, fingerprint: fingerprintFrom(review.text), confirm: 'XÓA' });
    expect(res.status).toBe(409);
    expect(text(res.text)).toContain('Chưa xóa gì');
    expect(text(res.text)).toContain('psid5009');
    expect(fingerprintFrom(res.text)).not.toBe(fingerprintFrom(review.text));
    expect(await dumpPersonalTables(db())).toBe(before);
    expect((await privacyAudit(db())).map((a) => a.action)).not.toContain('personal_data.erase');
  });
});
