/**
 * Export (JSON in the `npm run kb -- export` format, CSV for spreadsheets) and import with a dry run
 * first. An import is all-or-nothing (`importKnowledgeBase`) and runs in one transaction with its
 * audit entry, which records the replaced versions and the new ones.
 */
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  importKnowledgeBase,
  parseKnowledgeBase,
  proceduresToCsv,
  ProcedureRepository,
  type ImportSummary,
  type KbFormat,
  type KnowledgeBaseFile,
} from '../../procedures';
import { officialId, type KnowledgeBaseDeps } from './deps';
import { formBody, str } from './form-input';
import { importPage, type ImportFormat } from './import-page';

/** A pasted file's format when the official left "automatic": JSON starts with `{` or `[`. */
export function detectFormat(content: string, chosen: ImportFormat): KbFormat {
  if (chosen !== 'auto') return chosen;
  return /^\s*[[{]/.test(content.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

const fingerprint = (content: string) => createHash('sha256').update(content).digest('hex');

/** Today in Vietnam, for file names. */
const vietnamDate = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);

export function transferRoutes(deps: KnowledgeBaseDeps): Router {
  const router = Router();
  const { db, kit, i18n } = deps;
  const repo = new ProcedureRepository(db);
  const officer = kit.requireRole('officer');

  async function contentOnly() {
    return (await repo.listAll()).map(({ updatedAt: _u, ...p }) => p);
  }

  router.get('/admin/procedures/export.json', officer, async (_req, res) => {
    const file: KnowledgeBaseFile = { offices: await repo.listOffices(), procedures: await contentOnly() };
    res.attachment(`knowledge-base-${vietnamDate()}.json`).type('application/json; charset=utf-8').send(`${JSON.stringify(file, null, 2)}\n`);
  });

  router.get('/admin/procedures/export.csv', officer, async (_req, res) => {
    // proceduresToCsv neutralises formula-like cells itself (src/spreadsheet-safety.ts).
    const csv = proceduresToCsv(await contentOnly());
    res.attachment(`procedures-${vietnamDate()}.csv`).type('text/csv; charset=utf-8').send(csv);
  });

  router.get('/admin/procedures/import', officer, (req, res) => {
    res.type('html').send(importPage(req, deps, { content: '', format: 'auto' }));
  });

  /** Runs the import in a transaction with its audit entry; rejected files write nothing. */
  async function commit(req: Request, content: string, format: KbFormat): Promise<ImportSummary> {
    const parsed = parseKnowledgeBase(content, format);
    return db.transaction(async (tx) => {
      const txRepo = new ProcedureRepository(tx);
      const slugs = new Set(parsed.procedures.map((p) => p.slug));
      const officeSlugs = new Set(parsed.offices.map((o) => o.slug));
      const before = {
        procedures: (await txRepo.listAll()).filter((p) => slugs.has(p.slug)).map(({ updatedAt: _u, ...p }) => p),
        offices: (await txRepo.listOffices()).filter((o) => officeSlugs.has(o.slug)),
      };
      const summary = await importKnowledgeBase(txRepo, content, format);
      if (summary.rejected.length > 0) return summary;
      await kit.audit(tx, {
        officialId: officialId(req),
        action: 'knowledge_base.import',
        entity: 'knowledge_base',
        entityId: format,
        before,
        after: { procedures: parsed.procedures, offices: parsed.offices },
      });
      return summary;
    });
  }

  router.post('/admin/procedures/import', officer, async (req, res) => {
    const body = formBody(req.body);
    const content = str(body, 'content');
    const chosen = str(body, 'format');
    const format: ImportFormat = chosen === 'json' || chosen === 'csv' ? chosen : 'auto';
    if (content.trim() === '') {
      return res.status(400).type('html').send(importPage(req, deps, { content, format, errors: { content: i18n.t('admin-kb.errors.emptyImport') } }));
    }
    const kbFormat = detectFormat(content, format);
    const hash = fingerprint(content);
    // "Nhập" commits only the very text that was checked; anything edited since is checked again.
    if (str(body, 'action') === 'commit' && str(body, 'checked') === hash) {
      const summary = await commit(req, content, kbFormat);
      if (summary.rejected.length === 0) deps.onChange?.();
      const status = summary.rejected.length > 0 ? 400 : 200;
      return res.status(status).type('html').send(importPage(req, deps, { content: status === 200 ? '' : content, format, result: { summary, committed: status === 200 } }));
    }
    const summary = await importKnowledgeBase(repo, content, kbFormat, { dryRun: true });
    const status = summary.rejected.length > 0 ? 400 : 200;
    res.status(status).type('html').send(importPage(req, deps, { content, format, result: { summary, committed: false }, checkedHash: hash }));
  });

  return router;
}
