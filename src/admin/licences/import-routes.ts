/**
 * Import from the console: a check (dry run) first, then "Nhập" writes exactly the checked file, in
 * one transaction with its audit entry (the replaced licences and the new rows). A file with any
 * rejected row writes nothing.
 */
import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { importLicences, type LicenceImportResult } from '../../licences';
import { formatFromFileName, type SheetFormat } from '../../licences/import';
import { officialId, sectionT, type LicencesConsoleDeps } from './deps';
import { importPage } from './import-page';

/** The form as posted; the file is base64 (the console's body limit, 5 MB, bounds its size). */
const importForm = z.object({
  action: z.enum(['check', 'commit']).catch('check'),
  fileName: z.string().trim().max(255).catch(''),
  data: z.string().regex(/^[A-Za-z0-9+/=\s]*$/).catch(''),
  checked: z.string().regex(/^[0-9a-f]{64}$/).optional().catch(undefined),
});

const fingerprint = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

function formatOf(fileName: string): SheetFormat | undefined {
  try {
    return formatFromFileName(fileName);
  } catch {
    return undefined;
  }
}

export function importRoutes(deps: LicencesConsoleDeps, types: () => Promise<ReadonlyMap<string, string>>): Router {
  const router = Router();
  const { db, kit, i18n } = deps;
  const t = sectionT(i18n);
  const officer = kit.requireRole('officer');

  router.get('/admin/licences/import', officer, async (req, res) => {
    res.type('html').send(importPage(req, deps, { types: await types() }));
  });

  async function render(req: Request, res: Response, status: number, o: Omit<Parameters<typeof importPage>[2], 'types'>) {
    res.status(status).type('html').send(importPage(req, deps, { ...o, types: await types() }));
  }

  router.post('/admin/licences/import', officer, async (req, res) => {
    const form = importForm.parse(req.body ?? {});
    const data = Buffer.from(form.data, 'base64');
    if (data.length === 0) return render(req, res, 400, { error: t('import.errors.noFile') });
    const format = formatOf(form.fileName);
    if (!format) return render(req, res, 400, { error: t('import.errors.format') });
    const hash = fingerprint(data);

    // "Nhập" commits only the very file that was checked; anything else is checked (again) first.
    if (form.action === 'commit' && form.checked === hash) {
      const result = await importLicences(db, i18n, data, format, {
        onCommit: (tx, r) => kit.audit(tx, auditEntry(req, form.fileName, r)),
      });
      return render(req, res, result.committed ? 200 : 400, { result });
    }
    const result = await importLicences(db, i18n, data, format, { dryRun: true });
    const file = { name: form.fileName, data: data.toString('base64'), hash };
    return render(req, res, result.summary.rejected.length > 0 ? 400 : 200, { result, file });
  });

  return router;
}

/** The audit record of an import: what each updated licence was, and every row written. */
function auditEntry(req: Request, fileName: string, r: LicenceImportResult) {
  return {
    officialId: officialId(req),
    action: 'licence.import',
    entity: 'licence',
    entityId: fileName,
    before: { updated: r.updates.map((u) => u.before) },
    after: { imported: r.summary.imported, updated: r.summary.updated, rows: [...r.inserts, ...r.updates].map((row) => row.licence) },
  };
}
