/**
 * The "not understood" list and its two actions: spellings are grouped, the training example lands
 * in a temporary copy of intents/ (never the repository's), formatted as before and de-duplicated,
 * the alias lands in the procedure, and both are audited — or not written at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { describeEachDatabase } from '../../support/db';
import { tables, type Db } from '../../../src/db';
import { ProcedureRepository } from '../../../src/procedures';
import { loadIntentData } from '../../../src/nlu/training/intents-loader';
import { testOffice, testProcedure } from '../../support/fixtures';
import { conversation, csvRows, inbound, OFFICIAL_ID, removeTempDirs, tempIntentsDir, testApp, testKit } from './support';

const MARCH = { from: '2026-03-01', to: '2026-03-14' };
const NFD = (s: string) => s.normalize('NFD');

async function seedUnanswered(db: Db): Promise<void> {
  const a = await conversation(db, 'zalo');
  const b = await conversation(db, 'webchat');
  await inbound(db, a, '2026-03-02T01:00:00Z', { text: 'lam giay khai sinh', intent: 'none', score: 0.9 });
  await inbound(db, b, '2026-03-03T01:00:00Z', { text: 'làm giấy khai sinh', intent: 'none', score: 0.6 });
  await inbound(db, b, '2026-03-04T01:00:00Z', { text: NFD('Làm  giấy khai sinh?'), intent: 'procedure.fee', score: 0.3 });
  await inbound(db, a, '2026-03-05T01:00:00Z', { text: 'làm giấy khai sinh', intent: 'none', score: 0.55 });
  await inbound(db, a, '2026-03-06T01:00:00Z', { text: '<script>alert(1)</script>', intent: 'none', score: 0.8 });
  // Not on the list: understood, a procedure was named, a tapped payload, read while an official owned it, outside the period.
  await inbound(db, a, '2026-03-06T02:00:00Z', { text: 'lệ phí khai sinh', intent: 'procedure.fee', score: 0.9, procedure: 'khai-sinh' });
  await inbound(db, a, '2026-03-06T03:00:00Z', { text: 'khai sinh', intent: 'none', score: 0.9, procedure: 'khai-sinh' });
  await inbound(db, a, '2026-03-06T04:00:00Z', { text: 'Menu', payload: 'MENU:procedures', intent: 'payload.menu', score: 1 });
  await inbound(db, a, '2026-03-06T05:00:00Z', { text: 'chị ơi', intent: null, score: null });
  await inbound(db, a, '2026-02-20T05:00:00Z', { text: 'câu cũ', intent: 'none', score: 0.9 });
}

function post(db: Db, url: string, role: string, form: Record<string, string>, extra: Parameters<typeof testApp>[1] = {}) {
  return request(testApp(db, extra)).post(url).set('x-test-role', role).type('form').send({ _csrf: 'test-csrf', back: '?from=2026-03-01&to=2026-03-14&page=1', key: 'x', ...form });
}

afterAll(removeTempDirs);

describeEachDatabase('analytics: not understood', (getDb) => {
  it('groups spellings with and without diacritics, newest first, and escapes the text', async () => {
    const db = getDb().database.db;
    await seedUnanswered(db);
    const res = await request(testApp(db)).get('/admin/analytics/unanswered').query(MARCH).set('x-test-role', 'viewer');
    expect(res.status).toBe(200);
    const rows = [...res.text.matchAll(/<tr>\s*<th scope="row">([^<]*)/g)].map((m) => m[1]!.trim());
    expect(rows).toEqual(['&lt;script&gt;alert(1)&lt;/script&gt;', 'làm giấy khai sinh']);
    expect(res.text).not.toContain('<script>alert(1)');
    expect(res.text).toContain('Gộp 3 cách viết');
    // A viewer reads; the forms are for officers.
    expect(res.text).not.toContain('/admin/analytics/unanswered/train');

    const csv = csvRows((await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'unanswered' }).set('x-test-role', 'viewer')).text);
    expect(csv.slice(1)).toEqual([
      ['<script>alert(1)</script>', '1', '2026-03-06T01:00:00.000Z', '1'],
      ['làm giấy khai sinh', '4', '2026-03-05T01:00:00.000Z', '3'],
    ]);
  });

  it('neutralises a citizen\'s formula in the CSV', async () => {
    const db = getDb().database.db;
    const c = await conversation(db, 'zalo');
    await inbound(db, c, '2026-03-02T01:00:00Z', { text: '=cmd|\' /C calc\'!A0', intent: 'none', score: 0.9 });
    await inbound(db, c, '2026-03-02T02:00:00Z', { text: '@SUM(1+1)', intent: 'none', score: 0.9 });
    const res = await request(testApp(db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'unanswered' }).set('x-test-role', 'viewer');
    expect(res.text.startsWith('\uFEFF')).toBe(true);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="analytics-unanswered-/);
    const texts = csvRows(res.text).slice(1).map((r) => r[0]);
    expect(texts).toEqual(["'@SUM(1+1)", "'=cmd|' /C calc'!A0"]);
  });

  it('paginates, 50 questions a page', async () => {
    const db = getDb().database.db;
    const c = await conversation(db, 'zalo');
    for (let i = 0; i < 51; i++) await inbound(db, c, new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString(), { text: `câu hỏi số ${i}`, intent: 'none', score: 0.9 });
    const first = await request(testApp(db)).get('/admin/analytics/unanswered').query(MARCH).set('x-test-role', 'officer');
    expect(first.text).toContain('Trang 1/2');
    const firstRows = [...first.text.matchAll(/<th scope="row">([^<]*)/g)].map((m) => m[1]!.trim());
    expect(firstRows).toHaveLength(50);
    expect(firstRows[0]).toBe('câu hỏi số 50');
    expect(firstRows).not.toContain('câu hỏi số 0');
    const second = await request(testApp(db)).get('/admin/analytics/unanswered').query({ ...MARCH, page: '2' }).set('x-test-role', 'officer');
    expect([...second.text.matchAll(/<th scope="row">([^<]*)/g)].map((m) => m[1]!.trim())).toEqual(['câu hỏi số 0']);
  });

  it('adds a training example to a temp copy of intents/, atomically, formatted, de-duplicated and audited', async () => {
    const db = getDb().database.db;
    await seedUnanswered(db);
    const dir = tempIntentsDir();
    const file = path.join(dir, 'procedure.documents.json');
    const original = fs.readFileSync(file, 'utf8');
    let changed = 0;
    const extra = { intentsDir: dir, onTrainingDataChanged: () => void changed++ };

    const res = await post(db, '/admin/analytics/unanswered/train', 'officer', { text: NFD('  làm   giấy khai sinh '), intent: 'procedure.documents' }, extra);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin/analytics/unanswered?from=2026-03-01&to=2026-03-14&page=1&notice=trained');
    const after = fs.readFileSync(file, 'utf8');
    const json = JSON.parse(after) as { utterances: string[] };
    expect(json.utterances.at(-1)).toBe('làm giấy khai sinh'.normalize('NFC'));
    // Same layout: the new file is the old one with one more line in the list.
    const lastOld = JSON.stringify((JSON.parse(original) as { utterances: string[] }).utterances.at(-1));
    expect(after).toBe(original.replace(`${lastOld}\n`, `${lastOld},\n    "làm giấy khai sinh"\n`));
    expect(fs.readdirSync(dir).filter((f) => !f.endsWith('.json'))).toEqual([]);
    expect(changed).toBe(1);
    await expect(loadIntentData(dir)).resolves.toBeDefined();
    const audit = await db.select().from(tables.auditLog);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      officialId: OFFICIAL_ID,
      action: 'intent.utterance.add',
      entity: 'intent',
      entityId: 'procedure.documents',
      before: { file: 'procedure.documents.json', utterances: json.utterances.length - 1 },
      after: { utterances: json.utterances.length, added: 'làm giấy khai sinh' },
    });

    // Again, in other case and spacing: nothing written, nothing audited.
    const again = await post(db, '/admin/analytics/unanswered/train', 'officer', { text: 'Làm giấy  khai sinh', intent: 'procedure.documents' }, extra);
    expect(again.headers.location).toMatch(/notice=alreadyTrained$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(after);
    expect(await db.select().from(tables.auditLog)).toHaveLength(1);
    expect(changed).toBe(1);

    // The page now marks the question as an example already.
    const page = await request(testApp(db, extra)).get('/admin/analytics/unanswered').query({ ...MARCH, notice: 'trained' }).set('x-test-role', 'officer');
    expect(page.text).toContain('Đã thêm câu mẫu.');
    expect(page.text).toContain('Đã là câu mẫu: Hỏi hồ sơ cần nộp');
  });

  it('refuses an example of another intent, a missing intent or empty text, with the form kept (400)', async () => {
    const db = getDb().database.db;
    await seedUnanswered(db);
    const dir = tempIntentsDir();
    const before = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
    const existing = (JSON.parse(fs.readFileSync(path.join(dir, 'greeting.json'), 'utf8')) as { utterances: string[] }).utterances[0]!;
    const key = 'lam giay khai sinh';

    const other = await post(db, '/admin/analytics/unanswered/train', 'officer', { key, text: existing, intent: 'procedure.fee' }, { intentsDir: dir });
    expect(other.status).toBe(400);
    expect(other.text).toContain('Câu này đã là câu mẫu của nhu cầu “Chào hỏi”');
    expect(other.text).toContain(`value="${existing}"`);
    expect(other.text).toContain('<option value="procedure.fee" selected>');

    const noIntent = await post(db, '/admin/analytics/unanswered/train', 'officer', { key, text: 'làm giấy khai sinh', intent: '' }, { intentsDir: dir });
    expect(noIntent.status).toBe(400);
    expect(noIntent.text).toContain('<p class="field-error" id="train-1-error" role="alert">Vui lòng chọn nhu cầu trong danh sách.</p>');

    const forged = await post(db, '/admin/analytics/unanswered/train', 'officer', { key, text: 'abc', intent: '../../etc/passwd' }, { intentsDir: dir });
    expect(forged.status).toBe(400);
    const empty = await post(db, '/admin/analytics/unanswered/train', 'officer', { key, text: '   ', intent: 'greeting' }, { intentsDir: dir });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('Vui lòng nhập nội dung câu.');

    expect(fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).toEqual(before);
    expect(await db.select().from(tables.auditLog)).toHaveLength(0);
  });

  it('writes no example when the audit cannot be recorded', async () => {
    const db = getDb().database.db;
    const dir = tempIntentsDir();
    const before = fs.readFileSync(path.join(dir, 'greeting.json'), 'utf8');
    const kit = testKit({ audit: async () => Promise.reject(new Error('audit store down')) });
    const res = await post(db, '/admin/analytics/unanswered/train', 'officer', { text: 'chào buổi tối nhé', intent: 'greeting' }, { intentsDir: dir, kit });
    expect(res.status).toBe(500);
    expect(fs.readFileSync(path.join(dir, 'greeting.json'), 'utf8')).toBe(before);
  });

  it('adds a procedure alias in a transaction with its audit, and refreshes the matcher', async () => {
    const db = getDb().database.db;
    await seedUnanswered(db);
    const repo = new ProcedureRepository(db);
    await repo.upsert({ offices: [testOffice], procedures: [testProcedure('khai-sinh', { name: 'Đăng ký khai sinh', aliases: ['khai sinh'] })] });
    let refreshed = 0;
    const extra = { onAliasAdded: () => void refreshed++ };

    const res = await post(db, '/admin/analytics/unanswered/alias', 'officer', { text: 'làm giấy khai sinh', procedure: 'khai-sinh' }, extra);
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/notice=aliased$/);
    expect((await repo.get('khai-sinh'))?.aliases).toEqual(['khai sinh', 'làm giấy khai sinh']);
    expect(refreshed).toBe(1);
    const audit = await db.select().from(tables.auditLog).where(eq(tables.auditLog.action, 'procedure.alias.add'));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity: 'procedure', entityId: 'khai-sinh', officialId: OFFICIAL_ID, before: { aliases: ['khai sinh'] }, after: { aliases: ['khai sinh', 'làm giấy khai sinh'] } });

    // The same name without diacritics is the same name to the matcher: not added twice.
    const again = await post(db, '/admin/analytics/unanswered/alias', 'officer', { text: 'LAM GIAY KHAI SINH', procedure: 'khai-sinh' }, extra);
    expect(again.headers.location).toMatch(/notice=alreadyAlias$/);
    expect((await repo.get('khai-sinh'))?.aliases).toHaveLength(2);
    expect(await db.select().from(tables.auditLog)).toHaveLength(1);

    const unknown = await post(db, '/admin/analytics/unanswered/alias', 'officer', { key: 'lam giay khai sinh', text: 'abc', procedure: 'khong-co' }, extra);
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('Vui lòng chọn thủ tục đang áp dụng trong danh sách.');
    expect(refreshed).toBe(1);
  });

  it('adds no alias when the audit fails (same transaction)', async () => {
    const db = getDb().database.db;
    const repo = new ProcedureRepository(db);
    await repo.upsert({ offices: [testOffice], procedures: [testProcedure('khai-sinh')] });
    const kit = testKit({ audit: async () => Promise.reject(new Error('audit store down')) });
    const res = await post(db, '/admin/analytics/unanswered/alias', 'officer', { text: 'giấy khai sinh', procedure: 'khai-sinh' }, { kit });
    expect(res.status).toBe(500);
    expect((await repo.get('khai-sinh'))?.aliases).toEqual([]);
  });
});
