/** Shared by the licence import tests: the sample knowledge base (the licence types) and files. */
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/db';
import { loadTranslator, type Translator } from '../../src/i18n';
import { ProcedureRepository, seedSampleKnowledgeBase } from '../../src/procedures';

export const ROOT = path.resolve(__dirname, '../..');
export const SEED_DIR = path.join(ROOT, 'data', 'seed');
export const i18n: Translator = loadTranslator(path.join(ROOT, 'locales'));

/** Loads the sample procedures (attp, buon-ban-thuoc-bvtv, ho-kinh-doanh…), the licence types. */
export async function seedProcedures(db: Db): Promise<void> {
  await seedSampleKnowledgeBase(new ProcedureRepository(db), SEED_DIR);
}

/** CSV text from rows of cells, joined with `sep` (cells are written as given: quote them yourself). */
export const csv = (rows: string[][], sep = ','): string => `${rows.map((r) => r.join(sep)).join('\n')}\n`;

export const HEADER = ['Số giấy phép', 'Loại', 'Tên cơ sở', 'Số điện thoại', 'Ngày cấp', 'Ngày hết hạn'];

/** An .xlsx file with one sheet of these rows (Date cells become real date cells). */
export async function xlsx(rows: (string | number | Date | null)[][], opts: { dateFormat?: string } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sổ giấy phép');
  for (const row of rows) {
    const added = sheet.addRow(row);
    added.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = opts.dateFormat ?? 'dd/mm/yyyy';
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
