import { createHash } from 'node:crypto';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { tables } from '../../../src/db';
import { knowledgeBaseFileSchema, proceduresToCsv, ProcedureRepository, type Procedure } from '../../../src/procedures';
import { detectFormat } from '../../../src/admin/knowledge-base/transfer-routes';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { encode } from './forms';
import { kbApp, TEST_CSRF, text } from './test-kit';

const officer = { 'x-test-role': 'officer' };
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('pasted import content', () => {
  it('detects the format of pasted content', () => {
    expect(detectFormat('\uFEFF  {"procedures": []}', 'auto')).toBe('json');
    expect(detectFormat('[]', 'auto')).toBe('json');
    expect(detectFormat('slug,name\n', 'auto')).toBe('csv');
    expect(detectFormat('{', 'csv')).toBe('csv');
  });
});

describeEachDatabase('admin knowledge base: import and export', (getDb) => {
  const db = () => getDb().database.db;
  const repo = () => new ProcedureRepository(db());
  const audits = () => db().select().from(tables.auditLog).orderBy(tables.auditLog.id);
  const content = async (slug: string) => {
    const p = await repo().get(slug);
    if (!p) return undefined;
    const { updatedAt: _u, ...rest } = p;
    return rest;
  };

  it('exports CSV as an attachment with formula cells neutralised', async () => {
    const evil = testProcedure('evil', { name: '=HYPERLINK("http://x.test","bấm")', aliases: ['+84 000', '@SUM(1)'], steps: ['-1+2', 'Nhận kết quả'] });
    await repo().upsert({ offices: [testOffice], procedures: [evil, testProcedure('thu-a')] });
    const res = await request(kbApp(db()).app).get('/admin/procedures/export.csv').set(officer).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?procedures-\d{4}-\d\d-\d\d\.csv"?$/);
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    const rows = parse(res.text.slice(1), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.slug === 'evil')!;
    expect(row.name).toBe('\'=HYPERLINK("http://x.test","bấm")');
    expect(row.aliases).toBe("'+84 000\n@SUM(1)");
    expect(row.steps).toBe("'-1+2\nNhận kết quả");
    for (const r of rows) for (const cell of Object.values(r)) expect(cell).not.toMatch(/^[=+\-@]/);
    expect(rows.find((r) => r.slug === 'thu-a')?.name).toBe('Thủ tục thu-a');
  });

  it('exports JSON in the knowledge-base file format', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [testProcedure('thu-a', { status: 'retired' })] });
    const res = await request(kbApp(db()).app).get('/admin/procedures/export.json').set(officer).expect(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?knowledge-base-[\d-]+\.json"?$/);
    const file = knowledgeBaseFileSchema.parse(JSON.parse(res.text));
    expect(file).toEqual({ offices: [testOffice], procedures: [testProcedure('thu-a', { status: 'retired' })] });
  });

  it('checks a file first (writing nothing), then imports exactly that file on "Nhập", audited', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [testProcedure('thu-a')] });
    const { app, changes } = kbApp(db());
    const changed = testProcedure('thu-a', { name: 'Thủ tục A (mới)' });
    const added = testProcedure('thu-moi');
    const file = JSON.stringify({ procedures: [changed, added] }, null, 2);
    const check = await request(app).post('/admin/procedures/import').set(officer).type('form').send(encode({ _csrf: TEST_CSRF, format: 'auto', content: file, action: 'check' }));
    expect(check.status).toBe(200);
    expect(text(check.text)).toContain('Sẽ thêm 1 thủ tục, cập nhật 1 thủ tục và 0 nơi tiếp nhận.');
    expect(check.text).toContain(`name="checked" value="${sha256(file)}"`);
    expect(check.text).toContain('value="commit"');
    expect(await content('thu-a')).toEqual(testProcedure('thu-a'));
    expect(await repo().get('thu-moi')).toBeUndefined();
    expect(changes.count).toBe(0);

    const commit = await request(app).post('/admin/procedures/import').set(officer).type('form')
      .send(encode({ _csrf: TEST_CSRF, format: 'auto', content: file, action: 'commit', checked: sha256(file) }));
    expect(commit.status).toBe(200);
    expect(text(commit.text)).toContain('Đã thêm 1 thủ tục, cập nhật 1 thủ tục');
    expect(await content('thu-a')).toEqual(changed);
    expect(await content('thu-moi')).toEqual(added);
    const [entry] = await audits();
    expect(entry).toMatchObject({ action: 'knowledge_base.import', entity: 'knowledge_base', entityId: 'json' });
    expect(entry?.before).toEqual({ procedures: [testProcedure('thu-a')], offices: [] });
    expect((entry?.after as { procedures: Procedure[] }).procedures).toEqual([changed, added]);
    expect(changes.count).toBe(1);
  });

  it('shows rejected rows with their line and writes nothing, even when "Nhập" is forced', async () => {
    await repo().upsert({ offices: [testOffice], procedures: [testProcedure('thu-a')] });
    const { app, changes } = kbApp(db());
    const good = testProcedure('thu-a', { name: 'Không được ghi' });
    const bad = { ...testProcedure('thu-b'), where: { officeSlug: 'khong-co' } };
    const csv = proceduresToCsv([good, bad]);
    const check = await request(app).post('/admin/procedures/import').set(officer).type('form').send(encode({ _csrf: TEST_CSRF, format: 'csv', content: csv, action: 'check' }));
    expect(check.status).toBe(400);
    expect(check.text).toMatch(/<td>\d+<\/td><td>where\.officeSlug: no office &quot;khong-co&quot;<\/td>/);
    expect(check.text).not.toContain('value="commit"');
    expect(check.text).toContain('Chưa có gì được ghi');

    const forced = await request(app).post('/admin/procedures/import').set(officer).type('form')
      .send(encode({ _csrf: TEST_CSRF, format: 'csv', content: csv, action: 'commit', checked: sha256(csv) }));
    expect(forced.status).toBe(400);
    expect(await content('thu-a')).toEqual(testProcedure('thu-a'));
    expect(await repo().get('thu-b')).toBeUndefined();
    expect(await audits()).toEqual([]);
    expect(changes.count).toBe(0);
  });

  it('checks again instead of importing when the text changed after the check, and asks for content', async () => {
    const { app } = kbApp(db());
    await repo().upsert({ offices: [testOffice], procedures: [] });
    const file = JSON.stringify([testProcedure('thu-a')]);
    const res = await request(app).post('/admin/procedures/import').set(officer).type('form')
      .send(encode({ _csrf: TEST_CSRF, format: 'json', content: file, action: 'commit', checked: sha256('something else') }));
    expect(res.status).toBe(200);
    expect(text(res.text)).toContain('Sẽ thêm 1 thủ tục');
    expect(await repo().count()).toBe(0);
    const empty = await request(app).post('/admin/procedures/import').set(officer).type('form').send(encode({ _csrf: TEST_CSRF, content: '  ', action: 'check' }));
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Vui lòng chọn tệp hoặc dán nội dung cần nhập.');
  });
});
