import { importKnowledgeBase, parseKnowledgeBase, proceduresToCsv, ProcedureRepository } from '../../src/procedures';
import { describeEachDatabase } from '../support/db';
import { testKnowledgeBase, testOffice, testProcedure } from '../support/fixtures';

describe('parseKnowledgeBase', () => {
  it('reports every invalid procedure of a JSON file with its line and the field at fault', () => {
    const kb = testKnowledgeBase();
    const bad = { ...testProcedure('thu-c'), fee: { amountVnd: -5, exemptions: [] } };
    const text = JSON.stringify({ offices: kb.offices, procedures: [...kb.procedures, bad, { slug: 'Bad Slug' }] }, null, 2);
    const result = parseKnowledgeBase(text, 'json');
    expect(result.procedures.map((p) => p.slug)).toEqual(['thu-a', 'thu-b', 'thu-c'].slice(0, 2));
    expect(result.rejected).toHaveLength(2);
    const lines = text.split('\n');
    for (const r of result.rejected) expect(lines[r.line - 1]).toMatch(/^\s*\{/);
    expect(result.rejected[0]?.reason).toMatch(/fee\.amountVnd/);
    expect(result.rejected[1]?.reason).toMatch(/slug/);
  });

  it('accepts only http(s) links for the online service (they are sent to citizens as buttons)', () => {
    const bad = testProcedure('thu-js', { onlineService: { level: 'full', url: 'javascript:alert(1)' } });
    const result = parseKnowledgeBase(JSON.stringify([bad]), 'json');
    expect(result.rejected[0]?.reason).toMatch(/onlineService\.url/);
  });

  it('rejects a duplicated slug and malformed JSON', () => {
    const text = JSON.stringify([testProcedure('thu-a'), testProcedure('thu-a')], null, 1);
    expect(parseKnowledgeBase(text, 'json').rejected[0]?.reason).toMatch(/already on line 2/);
    expect(parseKnowledgeBase('{"procedures": [', 'json').rejected[0]?.reason).toMatch(/not valid JSON/);
  });

  it('round-trips procedures through CSV, with multi-line cells and Vietnamese text', () => {
    const p = testProcedure('thu-csv', {
      aliases: ['khai sinh', 'làm giấy khai sinh'],
      documents: [
        { name: 'Tờ khai đăng ký khai sinh', form: 'form', quantity: 1 },
        { name: 'Giấy chứng sinh', form: 'original', quantity: 1, note: 'do cơ sở y tế cấp' },
      ],
      fee: { amountVnd: 8000, text: '8.000 đồng/bản', exemptions: ['Người có công'] },
    });
    const csv = proceduresToCsv([p, testProcedure('thu-b')]);
    const result = parseKnowledgeBase(csv, 'csv');
    expect(result.rejected).toEqual([]);
    expect(result.procedures[0]).toEqual(p);
    expect(result.lines[0]).toBe(2);
    // The first row has multi-line cells, so the second row starts further down the file.
    expect(result.lines[1]).toBeGreaterThan(3);
  });

  it('explains a bad document line in a CSV row, with the row line', () => {
    const csv = proceduresToCsv([testProcedure('thu-a')]).replace('form x1: Tờ khai theo mẫu', 'giấy gì đó');
    const result = parseKnowledgeBase(csv, 'csv');
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/document line "giấy gì đó"/) }]);
  });
});

describeEachDatabase('importKnowledgeBase', (getDb) => {
  const repo = () => new ProcedureRepository(getDb().database.db);

  it('inserts, then updates by slug, keeping updated_at current', async () => {
    const text = JSON.stringify(testKnowledgeBase());
    expect(await importKnowledgeBase(repo(), text, 'json')).toEqual({ imported: 2, updated: 0, offices: 1, rejected: [] });
    const before = (await repo().get('thu-a'))!.updatedAt;
    const changed = { offices: [], procedures: [testProcedure('thu-a', { name: 'Tên mới' }), testProcedure('thu-d')] };
    expect(await importKnowledgeBase(repo(), JSON.stringify(changed), 'json')).toEqual({ imported: 1, updated: 1, offices: 0, rejected: [] });
    const after = await repo().get('thu-a');
    expect(after?.name).toBe('Tên mới');
    expect(after!.updatedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(await repo().count()).toBe(3);
  });

  it('writes nothing when one row is bad (all-or-nothing), and says which line', async () => {
    await importKnowledgeBase(repo(), JSON.stringify(testKnowledgeBase()), 'json');
    const text = JSON.stringify(
      { procedures: [testProcedure('thu-a', { name: 'Đổi tên' }), testProcedure('thu-x', { where: { officeSlug: 'khong-co' } })] },
      null,
      2,
    );
    const summary = await importKnowledgeBase(repo(), text, 'json');
    expect(summary.imported + summary.updated).toBe(0);
    expect(summary.rejected).toEqual([{ line: expect.any(Number), reason: 'where.officeSlug: no office "khong-co"' }]);
    expect((await repo().get('thu-a'))?.name).toBe('Thủ tục thu-a');
    expect(await repo().get('thu-x')).toBeUndefined();
  });

  it('validates without writing on a dry run', async () => {
    const summary = await importKnowledgeBase(repo(), JSON.stringify(testKnowledgeBase()), 'json', { dryRun: true });
    expect(summary).toEqual({ imported: 2, updated: 0, offices: 1, rejected: [] });
    expect(await repo().count()).toBe(0);
  });

  it('lists only active procedures to answer from, and finds the main office', async () => {
    await importKnowledgeBase(
      repo(),
      JSON.stringify({ offices: [testOffice], procedures: [testProcedure('thu-a'), testProcedure('thu-r', { status: 'retired' })] }),
      'json',
    );
    expect((await repo().listActive()).map((p) => p.slug)).toEqual(['thu-a']);
    expect((await repo().listAll()).map((p) => p.slug)).toEqual(['thu-a', 'thu-r']);
    expect((await repo().mainOffice())?.slug).toBe(testOffice.slug);
  });
});
