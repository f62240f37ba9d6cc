/**
 * Import from the console: a check shows what would be inserted, updated (with the changes) and
 * rejected, writing nothing; "Nhập" writes exactly the checked file in one transaction with its
 * audit record; a tampered or different file is checked again instead of written.
 */
import { createHash } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { LicenceRepository } from '../../../src/licences';
import { describeEachDatabase } from '../../support/db';
import { csv, HEADER, seedProcedures, xlsx } from '../../licences/support';
import { licencesApp, signedIn, text } from './support';

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64');
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describeEachDatabase('admin licences: import', (getDb) => {
  const db = () => getDb().database.db;
  const all = () => db().select().from(tables.licences).orderBy(asc(tables.licences.number));
  const audits = () => db().select().from(tables.auditLog).where(eq(tables.auditLog.action, 'licence.import'));

  beforeEach(async () => {
    await seedProcedures(db());
  });

  it('previews inserts and updates without writing, then commits exactly the checked file, audited', async () => {
    await new LicenceRepository(db()).upsertMany([
      { number: '1/GP', procedureSlug: 'attp', holderName: 'Quán cũ', phone: null, issuedOn: null, expiresOn: '2026-12-31', source: 'import' },
    ]);
    const officer = await signedIn(db(), licencesApp(db()), 'officer');
    const file = csv([HEADER, ['1/GP', 'attp', 'Quán mới', '', '', '31/12/2028'], ['2/GP', 'ho-kinh-doanh', 'Hộ B', '0912345678', '', '30/06/2027']]);
    const post = (fields: Record<string, string>) =>
      officer.agent.post('/admin/licences/import').type('form').send({ _csrf: officer.csrfToken, fileName: 'so-giay-phep.csv', data: b64(file), ...fields });

    const check = await post({ action: 'check' }).expect(200);
    const t = text(check.text);
    expect(t).toContain('Tệp hợp lệ: sẽ thêm 1 giấy phép mới và cập nhật 1 giấy phép đã có.');
    expect(t).toMatch(/Giấy phép mới .* 3 2\/GP Hộ B Đăng ký thành lập hộ kinh doanh 30\/06\/2027 0912345678/);
    expect(t).toMatch(/Giấy phép sẽ cập nhật .* 2 1\/GP Quán mới .* Tên cơ sở: Quán cũ → Quán mới Ngày hết hạn: 31\/12\/2026 → 31\/12\/2028/);
    expect(check.text).toContain(`name="checked" value="${sha256(file)}"`);
    expect((await all()).map((l) => l.holderName)).toEqual(['Quán cũ']);

    // "Nhập" with a fingerprint of another file only checks again.
    await post({ action: 'commit', checked: sha256('something else') }).expect(200);
    expect(await all()).toHaveLength(1);

    const done = await post({ action: 'commit', checked: sha256(file) }).expect(200);
    expect(text(done.text)).toContain('Đã thêm 1 giấy phép mới và cập nhật 1 giấy phép đã có.');
    expect(await all()).toMatchObject([
      { number: '1/GP', holderName: 'Quán mới', expiresOn: '2028-12-31' },
      { number: '2/GP', procedureSlug: 'ho-kinh-doanh', phone: '0912345678' },
    ]);
    const [audit, ...more] = await audits();
    expect(more).toEqual([]);
    expect(audit).toMatchObject({
      officialId: officer.id,
      entity: 'licence',
      entityId: 'so-giay-phep.csv',
      before: { updated: [{ number: '1/GP', holderName: 'Quán cũ', expiresOn: '2026-12-31' }] },
      after: { imported: 1, updated: 1, rows: [{ number: '2/GP' }, { number: '1/GP', holderName: 'Quán mới' }] },
    });
  });

  it('shows rejected rows with lines and reasons, offers no commit, and writes nothing even when forced', async () => {
    const officer = await signedIn(db(), licencesApp(db()), 'officer');
    const file = csv([HEADER, ['1/GP', 'attp', 'A', '', '', '31/12/2028'], ['1/GP', 'attp', 'B', 'abc', '', '31/02/2028']]);
    const send = (fields: Record<string, string>) =>
      officer.agent.post('/admin/licences/import').type('form').send({ _csrf: officer.csrfToken, fileName: 'x.csv', data: b64(file), ...fields });
    const check = await send({ action: 'check' }).expect(400);
    const t = text(check.text);
    expect(t).toContain('Có 1 dòng không nhập được');
    expect(t).toContain('3 Số điện thoại "abc" không phải số điện thoại Việt Nam hợp lệ. Ngày hết hạn "31/02/2028" không có thật trên lịch. Số giấy phép 1/GP trùng với dòng 2.');
    expect(check.text).not.toContain('value="commit"');
    await send({ action: 'commit', checked: sha256(file) }).expect(400);
    expect(await all()).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('imports an .xlsx file and refuses a missing file or another format', async () => {
    const officer = await signedIn(db(), licencesApp(db()), 'officer');
    const book = await xlsx([
      ['Số giấy phép', 'Loại', 'Tên cơ sở', 'Ngày hết hạn'],
      ['5/GCN-ATTP', 'an toàn thực phẩm', 'Bếp F', new Date(Date.UTC(2027, 2, 1))],
    ]);
    const send = (fields: Record<string, string>) => officer.agent.post('/admin/licences/import').type('form').send({ _csrf: officer.csrfToken, ...fields });
    await send({ action: 'check', fileName: 'so.xlsx', data: b64(book) }).expect(200);
    await send({ action: 'commit', fileName: 'so.xlsx', data: b64(book), checked: sha256(book) }).expect(200);
    expect(await all()).toMatchObject([{ number: '5/GCN-ATTP', procedureSlug: 'attp', expiresOn: '2027-03-01' }]);

    expect(text((await send({ action: 'check', fileName: 'so.xlsx', data: '' }).expect(400)).text)).toContain('Anh/chị chưa chọn tệp.');
    expect(text((await send({ action: 'check', fileName: 'so.ods', data: b64('x') }).expect(400)).text)).toContain('Chỉ nhận tệp .csv hoặc .xlsx.');
    // The upload page carries the CSRF field and the script that reads the file.
    const page = await officer.agent.get('/admin/licences/import').expect(200);
    expect(page.text).toContain(`name="_csrf" value="${officer.csrfToken}"`);
    expect(page.text).toContain('/admin/assets/licences/import-file.js');
    await officer.agent.get('/admin/assets/licences/import-file.js').expect(200).expect('content-type', /javascript/);
  });
});
