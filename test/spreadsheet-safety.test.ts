import { neutralizeCell, restoreCell } from '../src/spreadsheet-safety';
import { parseKnowledgeBase, proceduresToCsv } from '../src/procedures';
import { testProcedure } from './support/fixtures';

describe('spreadsheet formula neutralisation', () => {
  it('prefixes cells a spreadsheet would run as a formula, and texts that begin with a quote, and only those', () => {
    expect(['=1+1', '+84', '-2', '@SUM(A1)', '\tx', 'Đăng ký', "'=x", "'a", ''].map(neutralizeCell)).toEqual([
      "'=1+1", "'+84", "'-2", "'@SUM(A1)", "'\tx", 'Đăng ký', "''=x", "''a", '',
    ]);
  });

  it('restores exactly what it protected', () => {
    for (const text of ['=1+1', '- bước một', '@x', 'Đăng ký', "'quoted", "'=x", "''", '']) expect(restoreCell(neutralizeCell(text))).toBe(text);
  });

  it('protects the knowledge-base CSV export, which re-imports unchanged', () => {
    const p = testProcedure('thu-f', { name: '=HYPERLINK("http://x","bấm")', steps: ['- Nộp hồ sơ', '+ Nhận kết quả'] });
    const csv = proceduresToCsv([p]);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"",""bấm"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    const back = parseKnowledgeBase(csv, 'csv');
    expect(back.rejected).toEqual([]);
    expect(back.procedures[0]).toEqual(p);
  });
});
