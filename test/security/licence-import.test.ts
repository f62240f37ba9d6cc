/**
 * Hostile licence register files, through the import code and through the console's upload form:
 * random bytes, files in the wrong encoding, broken CSV quoting, hostile cell text, truncated or
 * damaged XLSX archives, many rows and very long cells. Every file ends in either a written import
 * or a list of rejected lines with a translated reason each; a rejected file writes nothing; nothing
 * throws, and the console never answers 5xx.
 */
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { importLicences, type LicenceImportResult } from '../../src/licences';
import type { SheetFormat } from '../../src/licences/import';
import { testDriverKinds } from '../support/db';
import type { SignedIn } from '../admin/auth/support';
import { hostileText, longText, nastyPiece } from './arbitraries';
import { countRows, fcParams, isServerError, useHostileApp } from './support';

/** Licence types of the sample knowledge base the app seeds. */
const TYPES = ['attp', 'buon-ban-thuoc-bvtv', 'ho-kinh-doanh'];
const HEADER = ['Số giấy phép', 'Loại', 'Tên cơ sở', 'Số điện thoại', 'Ngày cấp', 'Ngày hết hạn', 'Địa chỉ', 'Phường/xã'];

/** A cell of a CSV file as text: a good value, hostile text, or broken CSV syntax. */
const cellText = (good: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 6, arbitrary: good },
    { weight: 2, arbitrary: hostileText(12) },
    { weight: 1, arbitrary: fc.constantFrom('"', '"unterminated', 'a"b', '""', '"x""y"', '"a\nb"', ';', ',', '\t', '\r') },
  );

const goodRow = fc.tuple(
  cellText(fc.stringMatching(/^[A-Z]{2,4}-\d{1,6}\/20\d\d$/)),
  cellText(fc.constantFrom(...TYPES)),
  cellText(fc.constantFrom('Hộ kinh doanh Bình An', 'Công ty TNHH Hoà Phát', '=HYPERLINK("http://x.invalid")', '@cơ sở', '-Cửa hàng', '+84 Shop')),
  cellText(fc.constantFrom('0912345678', '+84 912 345 678', '912345678', '')),
  cellText(fc.constantFrom('01/02/2024', '2024-02-01', '31/02/2024', '')),
  cellText(fc.constantFrom('01/02/2030', '2030-12-31', '32/13/2030', 'mai')),
  cellText(fc.constantFrom('12 Lê Lợi', '', '\t=1+1')),
  cellText(fc.constantFrom('Phường 1', '', 'Xã Hòa An')),
);

/** How a CSV file is written out: separator, line end, BOM and encoding. */
const csvStyle = fc.record({
  sep: fc.constantFrom(',', ';', '\t'),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  encoding: fc.constantFrom<BufferEncoding>('utf8', 'utf8', 'utf8', 'latin1', 'utf16le'),
});

function csvFile(rows: string[][], style: { sep: string; eol: string; bom: boolean; encoding: BufferEncoding }): Buffer {
  const text = `${style.bom ? '\uFEFF' : ''}${rows.map((r) => r.join(style.sep)).join(style.eol)}${style.eol}`;
  return Buffer.from(text, style.encoding);
}

async function xlsxFile(rows: string[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sổ giấy phép');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** What a valid XLSX file can suffer on the way: nothing, a cut, flipped bytes, or extra garbage. */
type Damage =
  | { kind: 'none' }
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number[] }
  | { kind: 'append'; bytes: Uint8Array };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
);

function damaged(file: Buffer, d: Damage): Buffer {
  switch (d.kind) {
    case 'truncate':
      return file.subarray(0, Math.floor(file.length * d.at));
    case 'flip': {
      const copy = Buffer.from(file);
      for (const i of d.at) copy[i % copy.length] = copy[i % copy.length]! ^ 0xff;
      return copy;
    }
    case 'append':
      return Buffer.concat([file, Buffer.from(d.bytes)]);
    case 'none':
      return file;
  }
}

describe.each(testDriverKinds())('hostile licence register files [%s]', (kind) => {
  const h = useHostileApp(kind);
  let officer: SignedIn;
  const licenceCount = () => countRows(h.db().database, 'licences');

  beforeAll(async () => {
    officer = await h.signedIn('officer');
  });

  /** The import of `data`: it must end, list rejected lines with reasons, and write only a clean file. */
  async function importChecked(data: Buffer, format: SheetFormat, lineCount: number, dryRun: boolean): Promise<LicenceImportResult> {
    const before = await licenceCount();
    const result = await importLicences(h.db().database.db, h.app().services.i18n, data, format, { dryRun });
    for (const r of result.summary.rejected) {
      expect(Number.isInteger(r.line) && r.line >= 1 && r.line <= Math.max(1, lineCount)).toBe(true);
      expect(r.reason.trim()).not.toBe('');
      // A reason is a sentence for an official, never an untranslated key.
      expect(r.reason).not.toMatch(/licences\.import\.errors|\{\{?\w+\}?\}/);
    }
    const written = result.committed;
    expect(written).toBe(!dryRun && result.summary.rejected.length === 0);
    if (!written) expect(await licenceCount()).toBe(before);
    else expect(await licenceCount()).toBe(before + result.summary.imported);
    return result;
  }

  it('reads any bytes as a CSV or XLSX file without throwing, listing what is wrong', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }).map((b) => Buffer.from(b)),
      hostileText(200).map((t) => Buffer.from(t)),
      fc.constant(Buffer.from('PK\u0003\u0004')),
      fc.constant(Buffer.alloc(0)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, fc.constantFrom<SheetFormat>('csv', 'xlsx'), fc.boolean(), async (data, format, dryRun) => {
        const lines = data.toString('utf8').split(/\r\n|\r|\n/).length;
        const result = await importChecked(data, format, format === 'csv' ? lines : 1_048_576, dryRun);
        // Random bytes are never a register: something must be reported.
        if (data.length > 0 && result.summary.imported + result.summary.updated === 0) expect(result.summary.rejected.length).toBeGreaterThan(0);
      }),
      fcParams(150),
    );
  });

  it('imports a CSV register with hostile cells, odd separators and encodings, or rejects it line by line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(goodRow, { minLength: 1, maxLength: 25 }), csvStyle, fc.boolean(), async (rows, style, dryRun) => {
        const file = csvFile([HEADER, ...rows], style);
        // Every line end in the text counts (cells may hold line breaks of their own).
        const lines = file.toString(style.encoding).split(/\r\n|\r|\n/).length;
        await importChecked(file, 'csv', lines, dryRun);
      }),
      {
        ...fcParams(120),
        // Found by this property (lines past the end of the file): line breaks inside unquoted cells.
        examples: [
          [[['AA-0/2000', 'attp', 'Hộ kinh doanh Bình An', '0912345678', '01/02/2024', '01/02/2030', '\r\n', 'Phường 1'], ['', '', 'Hộ kinh doanh Bình An', '0912345678', '01/02/2024', '\r\n', '', 'Phường 1']], { sep: ',', eol: '\n', bom: false, encoding: 'utf8' }, false],
          [[['AA-0/2000', '\r\n', '', '', '01/02/2024', '01/02/2030', '', 'Phường 1'], ['AA-0/2000', '', 'Hộ kinh doanh Bình An', '0912345678', '', '01/02/2030', '\r\n', 'Phường 1']], { sep: ',', eol: '\r', bom: false, encoding: 'utf8' }, false],
        ],
      },
    );
  });

  it('writes a clean register whose free text (holder, address, ward) is hostile, keeping that text readable', async () => {
    // Text with something to keep once NUL (which no database column takes) is dropped.
    const free = hostileText(25).filter((t) => !/[",;\t\r\n]/.test(t) && t.replace(/\u0000/g, '').trim() !== '');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...TYPES), free, free, free), { minLength: 1, maxLength: 8 }), async (rows) => {
        const numbers = rows.map(() => `FREE-${(n += 1)}/2026`);
        const file = csvFile(
          [HEADER, ...rows.map(([type, holder, address, ward], i) => [numbers[i]!, type, holder, '0912345678', '01/02/2024', '01/02/2031', address, ward])],
          { sep: ',', eol: '\n', bom: false, encoding: 'utf8' },
        );
        const result = await importChecked(file, 'csv', rows.length + 2, false);
        expect(result.summary.rejected).toEqual([]);
        const stored = await h.db().database.query<{ holder_name: string }>('select holder_name from licences where number = any($1) order by number', [numbers.map((x) => x.toUpperCase())]);
        expect(stored).toHaveLength(rows.length);
        for (const { holder_name } of stored) expect(holder_name.trim()).not.toBe('');
      }),
      fcParams(60),
    );
  });

  it('survives a truncated, damaged or padded XLSX register and says the file cannot be read', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(goodRow, { minLength: 1, maxLength: 10 }), damage, fc.boolean(), async (rows, d, dryRun) => {
        const file = damaged(await xlsxFile([HEADER, ...rows]), d);
        await importChecked(file, 'xlsx', rows.length + 1, dryRun);
      }),
      fcParams(60),
    );
  });

  it('handles many rows and very long cells with per-line results', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2_000, max: 8_000 }), longText(20_000, 200_000), nastyPiece, async (count, long, piece) => {
        const rows = Array.from({ length: count }, (_, i) => [`BIG-${i}/2026`, TYPES[i % TYPES.length]!, i === 7 ? `"${long.text.replace(/"/g, '""')}"` : `Cơ sở ${i}${piece.replace(/[",;\r\n\t]/g, '')}`, '', '', '01/01/2031']);
        const file = csvFile([HEADER.slice(0, 6), ...rows], { sep: ',', eol: '\n', bom: true, encoding: 'utf8' });
        const result = await importChecked(file, 'csv', count + 2, true);
        expect(result.inserts.length + result.updates.length + result.summary.rejected.length).toBeGreaterThanOrEqual(count - 1);
      }),
      fcParams(3),
    );
  });

  it('answers any upload form with the import page (200) or the reason (400), never 5xx, and escapes what it shows', async () => {
    const validCsv = Buffer.from(`${HEADER.join(',')}\nGP-1/2026,attp,"<script>alert(""m1"")</script>",,,"01/01/2031"\n`);
    const field = fc.oneof(fc.constant(undefined), hostileText(20), fc.constantFrom('check', 'commit', 'a'.repeat(300)));
    const form = fc.record(
      {
        action: field,
        fileName: fc.oneof(field, fc.constantFrom('sổ.csv', 'register.xlsx', '<script>alert(1)</script>.csv', '.csv', 'x.CSV', 'x.xls')),
        data: fc.oneof(
          field,
          fc.constant(validCsv.toString('base64')),
          fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b).toString('base64')),
          fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456789+/= \n'), maxLength: 200 }),
        ),
        checked: fc.oneof(field, fc.stringMatching(/^[0-9a-f]{64}$/)),
        extra: field,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(form, fc.boolean(), async (values, asJson) => {
        const body = { _csrf: officer.csrfToken, ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) };
        const req = officer.agent.post('/admin/licences/import');
        const res = asJson ? await req.set('content-type', 'application/json').send(JSON.stringify(body)) : await req.type('form').send(body);
        expect(isServerError(res.status)).toBe(false);
        expect([200, 400, 413]).toContain(res.status);
        if (res.status !== 413) {
          expect(res.text).not.toMatch(/<script>alert/);
          if (res.status === 400) expect(res.text).toMatch(/role="alert"/);
        }
      }),
      fcParams(80),
    );
  });
});
