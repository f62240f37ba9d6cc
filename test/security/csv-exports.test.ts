/**
 * Formula injection in every CSV the console exports (licences, analytics reports, knowledge base):
 * stored text that starts with `=`, `+`, `-`, `@`, tab or carriage return (typed by a citizen, an
 * official or read from an imported file) must never reach a spreadsheet as a formula. Checked on
 * the neutralising function itself and on the real exports of the running app, read back with a
 * CSV parser as a spreadsheet would.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import request from 'supertest';
import { neutralizeCell, restoreCell } from '../../src/spreadsheet-safety';
import { toStorableText } from '../../src/storable-text';
import { importLicences, LicenceRepository } from '../../src/licences';
import { ProcedureRepository } from '../../src/procedures';
import { testDriverKinds } from '../support/db';
import type { SignedIn } from '../admin/auth/support';
import { hostileText } from './arbitraries';
import { fcParams, useHostileApp } from './support';

/** What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text that starts like a formula, in each of the ways a spreadsheet accepts one (and that a database stores). */
const formulaText = fc
  .tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\t=', '\r=', '=cmd|', '=HYPERLINK('), hostileText(12))
  .map(([start, rest]) => toStorableText(`${start}${rest}`));

/** A cell as the import reads it back: NFC, runs of white space as one space, ends trimmed. */
const typed = (s: string): string => s.normalize('NFC').replace(/\s+/g, ' ').trim();

/** Every cell of a CSV file, read as a spreadsheet reads it (BOM dropped, quotes resolved). */
function cellsOf(csv: string): string[] {
  const rows = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  return rows.flat();
}

function expectNoFormula(csv: string): void {
  const live = cellsOf(csv).filter((c) => FORMULA_START.test(c));
  expect(live).toEqual([]);
}

describe('neutralizeCell', () => {
  it('never leaves a cell starting like a formula, and changes nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(formulaText, hostileText(20)), (text) => {
        const safe = neutralizeCell(text);
        expect(FORMULA_START.test(safe)).toBe(false);
        expect(safe === text || safe === `'${text}`).toBe(true);
      }),
      fcParams(1000),
    );
  });

  it('is undone exactly by restoreCell, so an export re-imports unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(formulaText, hostileText(20), formulaText.map((t) => `'${t}`)), (text) => {
        expect(restoreCell(neutralizeCell(text))).toBe(text);
      }),
      fcParams(1000),
    );
  });
});

describe.each(testDriverKinds())('CSV exports of the running app [%s]', (kind) => {
  const h = useHostileApp(kind);
  let officer: SignedIn;
  let n = 0;

  beforeAll(async () => {
    officer = await h.signedIn('officer');
  });

  it('neutralises formula-like licence fields in the register export, which re-imports to the same values', async () => {
    const repo = new LicenceRepository(h.db().database.db);
    // A holder is required on import: keep the ones that are more than white space.
    const holder = formulaText.filter((t) => typed(t) !== '');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(holder, formulaText, formulaText), { minLength: 1, maxLength: 5 }), async (rows) => {
        const inputs = rows.map(([holder, address, ward]) => ({
          number: `CSV-${(n += 1)}/2026`,
          procedureSlug: 'attp',
          holderName: holder,
          phone: null,
          address,
          ward,
          issuedOn: null,
          expiresOn: '2031-01-01',
          source: 'import' as const,
        }));
        await repo.upsertMany(inputs);
        const res = await officer.agent.get('/admin/licences/export.csv');
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/csv/);
        expectNoFormula(res.text);
        // The export is also an import file: the quote comes off again, the fields come back as stored.
        const back = await importLicences(h.db().database.db, h.app().services.i18n, Buffer.from(res.text), 'csv', { dryRun: true });
        expect(back.summary.rejected).toEqual([]);
        const read = new Map([...back.inserts, ...back.updates].map((r) => [r.licence.number, r.licence]));
        for (const input of inputs) {
          const got = read.get(input.number);
          expect(got && [got.holderName, got.address, got.ward]).toEqual([typed(input.holderName), typed(input.address) || undefined, typed(input.ward) || undefined]);
        }
      }),
      fcParams(40),
    );
  });

  it('neutralises formula-like citizen questions and procedure names in every analytics report', async () => {
    const procedures = new ProcedureRepository(h.db().database.db);
    // Questions tagged with a procedure (for the procedures report), before its name turns hostile.
    for (const text of ['lệ phí đăng ký khai sinh bao nhiêu', 'khai sinh cần giấy tờ gì']) {
      const res = await request(h.app().baseUrl).post('/api/webchat/messages').send({ sessionId: `csv-${kind}-proc`, text });
      expect(res.status).toBe(200);
    }
    await fc.assert(
      fc.asyncProperty(formulaText, formulaText, fc.stringMatching(/^[A-Za-z0-9]{8,20}$/), async (question, name, session) => {
        const asked = await request(h.app().baseUrl).post('/api/webchat/messages').send({ sessionId: session, text: `${question} HYPERLINK` });
        expect(asked.status).toBe(200);
        const stored = await procedures.get('khai-sinh');
        const { updatedAt: _u, ...content } = stored!;
        await procedures.upsert({ procedures: [{ ...content, name: `${name} khai sinh` }], offices: [] });
        for (const report of ['messages', 'intents', 'procedures', 'handoffs', 'ratings', 'unanswered']) {
          const res = await officer.agent.get(`/admin/analytics/export.csv?report=${report}`);
          expect(`${report} ${res.status}`).toBe(`${report} 200`);
          expectNoFormula(res.text);
        }
      }),
      fcParams(20),
    );
    // Not vacuous: the hostile texts are in the reports, made safe.
    const unanswered = await officer.agent.get('/admin/analytics/export.csv?report=unanswered');
    expect(cellsOf(unanswered.text).some((c) => c.startsWith("'") && c.includes('HYPERLINK'))).toBe(true);
    const named = await officer.agent.get('/admin/analytics/export.csv?report=procedures');
    expect(cellsOf(named.text).some((c) => c.startsWith("'") && c.endsWith('khai sinh'))).toBe(true);
  });

  it('neutralises formula-like procedure fields in the knowledge-base export', async () => {
    const procedures = new ProcedureRepository(h.db().database.db);
    await fc.assert(
      fc.asyncProperty(formulaText, fc.array(formulaText, { minLength: 1, maxLength: 3 }), formulaText, async (name, steps, alias) => {
        const stored = await procedures.get('ket-hon');
        const { updatedAt: _u, ...content } = stored!;
        await procedures.upsert({ procedures: [{ ...content, name, steps, aliases: [alias] }], offices: [] });
        const res = await officer.agent.get('/admin/procedures/export.csv');
        expect(res.status).toBe(200);
        expectNoFormula(res.text);
      }),
      fcParams(40),
    );
  });
});
