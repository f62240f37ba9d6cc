/**
 * Licence import against the real database: upsert by number, all-or-nothing, the dry run, every
 * kind of awkward row an office register holds, and XLSX files with real date cells.
 */
import { asc } from 'drizzle-orm';
import { tables } from '../../src/db';
import { importLicences, LicenceRepository, licencesToCsv } from '../../src/licences';
import { describeEachDatabase } from '../support/db';
import { csv, HEADER, i18n, seedProcedures, xlsx } from './support';

describeEachDatabase('licence import', (getDb) => {
  const db = () => getDb().database.db;
  const all = () => db().select().from(tables.licences).orderBy(asc(tables.licences.number));
  const importCsv = (text: string, dryRun = false) => importLicences(db(), i18n, Buffer.from(text), 'csv', { dryRun });

  beforeEach(async () => {
    await seedProcedures(db());
  });

  it('imports a register, then updates by number (typed in any case and spacing)', async () => {
    const first = await importCsv(
      csv([
        HEADER,
        ['123/2024/GCN-BVTV', 'buon-ban-thuoc-bvtv', 'Cửa hàng Minh Phát', '0912 345 678', '01/02/2024', '31/01/2027'],
        ['45/GCN-ATTP', 'attp', 'Quán phở Hà Nội', '+84987654321', '2024-03-05', '5/3/2027'],
      ]),
    );
    expect(first.summary).toEqual({ imported: 2, updated: 0, rejected: [] });
    expect(first.committed).toBe(true);
    expect(await all()).toMatchObject([
      { number: '123/2024/GCN-BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', holderName: 'Cửa hàng Minh Phát', phone: '0912345678', issuedOn: '2024-02-01', expiresOn: '2027-01-31', source: 'import' },
      { number: '45/GCN-ATTP', procedureSlug: 'attp', phone: '0987654321', issuedOn: '2024-03-05', expiresOn: '2027-03-05' },
    ]);

    const second = await importCsv(csv([HEADER, ['45 / gcn-attp', 'attp', 'Quán phở Hà Nội 2', '', '05/03/2024', '05/03/2030'], ['7/GP', 'attp', 'Mới', '', '', '01/01/2028']]));
    expect(second.summary).toEqual({ imported: 1, updated: 1, rejected: [] });
    expect(second.updates.map((u) => [u.licence.number, u.before.expiresOn])).toEqual([['45/GCN-ATTP', '2027-03-05']]);
    const stored = await new LicenceRepository(db()).findByNumber('45/gcn-attp');
    expect(stored).toMatchObject({ holderName: 'Quán phở Hà Nội 2', phone: null, expiresOn: '2030-03-05' });
    expect(await all()).toHaveLength(3);
  });

  it('previews on a dry run and writes nothing', async () => {
    await importCsv(csv([HEADER, ['1/GP', 'attp', 'A', '', '', '01/01/2027']]));
    const dry = await importCsv(csv([HEADER, ['1/GP', 'attp', 'A đổi tên', '', '', '01/01/2028'], ['2/GP', 'attp', 'B', '', '', '01/01/2027']]), true);
    expect(dry.summary).toEqual({ imported: 1, updated: 1, rejected: [] });
    expect(dry.committed).toBe(false);
    expect(dry.inserts.map((r) => [r.line, r.licence.number])).toEqual([[3, '2/GP']]);
    expect(dry.updates.map((r) => [r.line, r.licence.holderName, r.before.holderName])).toEqual([[2, 'A đổi tên', 'A']]);
    expect(await all()).toMatchObject([{ number: '1/GP', holderName: 'A', expiresOn: '2027-01-01' }]);
  });

  it('rejects every bad row with its line and a Vietnamese reason, and writes nothing at all', async () => {
    const result = await importCsv(
      csv([
        HEADER,
        ['1/GP', 'attp', 'Tốt', '0912345678', '01/01/2024', '01/01/2027'],
        ['2/GP', 'attp', 'Ngày sai', '', '31/02/2024', '01/01/2027'],
        ['3/GP', 'khong-co-loai-nay', 'Loại lạ', '123', '', '01/01/2027'],
        ['4/GP', 'attp', 'Hết hạn trước khi cấp', '', '05/06/2025', '01/01/2024'],
        ['1/gp', 'attp', 'Trùng số', '', '', '01/01/2027'],
        ['5/GP', '', '', '', '', ''],
        ['', 'attp', 'Không số', '', '', '01/01/2027'],
        ['6/GP', 'attp', 'Năm hai số', '', '', '01/01/27'],
      ]),
    );
    expect(result.committed).toBe(false);
    expect(result.summary.imported).toBe(0);
    expect(result.summary.updated).toBe(0);
    expect(result.summary.rejected).toEqual([
      { line: 3, reason: 'Ngày cấp "31/02/2024" không có thật trên lịch.' },
      { line: 4, reason: expect.stringMatching(/^Không rõ loại giấy phép "khong-co-loai-nay".* Số điện thoại "123" không phải số điện thoại Việt Nam hợp lệ\.$/) },
      { line: 5, reason: 'Ngày hết hạn trước ngày cấp.' },
      { line: 6, reason: 'Số giấy phép 1/GP trùng với dòng 2.' },
      { line: 7, reason: 'Thiếu loại giấy phép. Thiếu tên cơ sở (người được cấp). Thiếu ngày hết hạn.' },
      { line: 8, reason: 'Thiếu số giấy phép.' },
      { line: 9, reason: 'Ngày hết hạn "01/01/27" cần ghi năm đủ 4 chữ số.' },
    ]);
    expect(await all()).toEqual([]);
  });

  it('rolls the whole import back when anything fails inside its transaction', async () => {
    await importCsv(csv([HEADER, ['1/GP', 'attp', 'A', '', '', '01/01/2027']]));
    const file = Buffer.from(csv([HEADER, ['1/GP', 'attp', 'A mới', '', '', '01/01/2030'], ['2/GP', 'attp', 'B', '', '', '01/01/2027']]));
    await expect(
      importLicences(db(), i18n, file, 'csv', {
        onCommit: async () => {
          throw new Error('audit failed');
        },
      }),
    ).rejects.toThrow('audit failed');
    expect(await all()).toMatchObject([{ number: '1/GP', holderName: 'A', expiresOn: '2027-01-01' }]);
  });

  it('reports missing columns once, on the header line', async () => {
    const result = await importCsv(csv([['Số giấy phép', 'Tên cơ sở', 'Ngày cấp'], ['1/GP', 'A', '01/01/2024']]));
    expect(result.summary.rejected).toEqual([{ line: 1, reason: 'Thiếu cột bắt buộc: Loại, Ngày hết hạn.' }]);
    const wrong = await importCsv(csv([['a', 'b'], ['1', '2']]));
    expect(wrong.summary.rejected).toEqual([{ line: 1, reason: expect.stringContaining('Thiếu cột bắt buộc: Số giấy phép, Loại, Tên cơ sở, Ngày hết hạn') }]);
    expect((await importCsv('')).summary.rejected).toEqual([{ line: 1, reason: 'Tệp không có dữ liệu.' }]);
    expect((await importCsv(csv([HEADER]))).summary.rejected).toEqual([{ line: 1, reason: expect.stringContaining('không có giấy phép nào') }]);
  });

  it('takes headers without diacritics in any order, variants, a title row, extra columns, BOM and semicolons', async () => {
    const text = `\uFEFF${csv(
      [
        ['DANH SÁCH GIẤY CHỨNG NHẬN ĐỦ ĐIỀU KIỆN', '', '', '', '', '', ''],
        ['STT', 'Ngay het hieu luc', 'TEN CO SO', 'loai', 'So GCN', 'SDT', 'Ghi chú'],
        ['1', '31/12/2026', '"Công ty TNHH A; chi nhánh 1"', 'Giấy chứng nhận an toàn thực phẩm', '10/2024/ATTP', '912345678', 'đã nhắc'],
        ['2', '2027-06-30', 'Hộ kinh doanh B', 'ATTP', '11/2024/ATTP', '', ''],
      ],
      ';',
    )}`;
    const result = await importCsv(text);
    expect(result.summary).toEqual({ imported: 2, updated: 0, rejected: [] });
    expect(await all()).toMatchObject([
      { number: '10/2024/ATTP', procedureSlug: 'attp', holderName: 'Công ty TNHH A; chi nhánh 1', phone: '0912345678', issuedOn: null, expiresOn: '2026-12-31' },
      { number: '11/2024/ATTP', procedureSlug: 'attp', holderName: 'Hộ kinh doanh B', phone: null, expiresOn: '2027-06-30' },
    ]);
  });

  it('refuses an unreadable CSV', async () => {
    const result = await importCsv('Số giấy phép,Loại\n1/GP,"attp\n');
    expect(result.summary.rejected).toEqual([{ line: expect.any(Number), reason: expect.stringContaining('Không đọc được tệp CSV') }]);
  });

  it('imports XLSX with real date cells, serial numbers and number cells, and rejects a bad row in one', async () => {
    const file = await xlsx([
      ['Số GP', 'Loại', 'Tên cơ sở', 'Số điện thoại', 'Ngày cấp', 'Ngày hết hạn', 'Ghi chú'],
      ['20/2024/GCN-BVTV', 'bvtv', 'Đại lý C', 912345678, new Date(Date.UTC(2024, 0, 15)), new Date(Date.UTC(2027, 0, 14))],
      [12345, 'attp', 'Bếp ăn D', '0987 654 321', '15/01/2024', 46387],
    ]);
    const ok = await importLicences(db(), i18n, file, 'xlsx');
    expect(ok.summary).toEqual({ imported: 2, updated: 0, rejected: [] });
    expect(await all()).toMatchObject([
      { number: '12345', procedureSlug: 'attp', phone: '0987654321', issuedOn: '2024-01-15', expiresOn: '2026-12-31' },
      { number: '20/2024/GCN-BVTV', procedureSlug: 'buon-ban-thuoc-bvtv', phone: '0912345678', issuedOn: '2024-01-15', expiresOn: '2027-01-14' },
    ]);

    const bad = await xlsx([
      ['Số giấy phép', 'Loại', 'Tên cơ sở', 'Ngày hết hạn'],
      ['30/GP', 'attp', 'E', new Date(Date.UTC(2027, 1, 1))],
      ['31/GP', 'attp', 'F', '31/02/2027'],
    ]);
    const refused = await importLicences(db(), i18n, bad, 'xlsx');
    expect(refused.summary.rejected).toEqual([{ line: 3, reason: 'Ngày hết hạn "31/02/2027" không có thật trên lịch.' }]);
    expect(await all()).toHaveLength(2);

    const broken = await importLicences(db(), i18n, Buffer.from('not a zip'), 'xlsx');
    expect(broken.summary.rejected).toEqual([{ line: 1, reason: expect.stringContaining('Không đọc được tệp Excel') }]);
  });

  it('exports CSV that neutralises formulas and imports back unchanged', async () => {
    await importCsv(csv([HEADER, ['1/GP', 'attp', '=HYPERLINK("http://x.test")', '0912345678', '01/01/2024', '31/12/2026'], ['2/GP', 'ho-kinh-doanh', '@Cửa hàng', '', '', '01/06/2027']]));
    const before = await all();
    const exported = await licencesToCsv(new LicenceRepository(db()).iterate());
    expect(exported.startsWith('\uFEFFSố giấy phép,Loại,Tên cơ sở,Số điện thoại,Ngày cấp,Ngày hết hạn')).toBe(true);
    expect(exported).toContain('"\'=HYPERLINK(""http://x.test"")"');
    expect(exported).toContain("'@Cửa hàng");
    const again = await importCsv(exported);
    expect(again.summary).toEqual({ imported: 0, updated: 2, rejected: [] });
    expect((await all()).map(({ updatedAt: _u, ...l }) => l)).toEqual(before.map(({ updatedAt: _u, ...l }) => l));
  });
});
