/** Office pages: list, create and edit; each save is audited in its transaction and reloads the bot. */
import { Router, type Request, type Response } from 'express';
import { ProcedureRepository, type Office } from '../../procedures';
import { html } from '../html';
import { officialId, type KnowledgeBaseDeps } from './deps';
import { emptyOfficeForm, officeToForm, readOfficeForm, validateOfficeForm } from './office-form';
import { officeListPage, officePage } from './office-page';

export function officeRoutes(deps: KnowledgeBaseDeps): Router {
  const router = Router();
  const { db, kit, i18n } = deps;
  const repo = new ProcedureRepository(db);
  const officer = kit.requireRole('officer');
  const t = (k: string) => i18n.t(k);

  function notFound(req: Request, res: Response) {
    res.status(404).type('html').send(kit.page(req, { title: t('admin-kb.notFound'), body: html`<p>${t('admin-kb.notFound')}</p>
      <p><a class="btn" href="/admin/offices">${t('admin-kb.office.backToList')}</a></p>`, active: 'offices' }));
  }

  /** Writes the office with its audit entry; false when a new office's slug is already taken. */
  async function save(req: Request, office: Office, isNew: boolean): Promise<boolean> {
    return db.transaction(async (tx) => {
      const txRepo = new ProcedureRepository(tx);
      const before = await txRepo.getOffice(office.slug);
      if (isNew && before) return false;
      await txRepo.upsert({ procedures: [], offices: [office] });
      await kit.audit(tx, {
        officialId: officialId(req),
        action: isNew ? 'office.create' : 'office.update',
        entity: 'office',
        entityId: office.slug,
        before: before ?? null,
        after: office,
      });
      return true;
    });
  }

  router.get('/admin/offices', officer, async (req, res) => {
    const usage = new Map<string, number>();
    for (const p of await repo.listAll()) usage.set(p.where.officeSlug, (usage.get(p.where.officeSlug) ?? 0) + 1);
    res.type('html').send(officeListPage(req, deps, await repo.listOffices(), usage));
  });

  router.get('/admin/offices/new', officer, (req, res) => {
    res.type('html').send(officePage(req, deps, { values: emptyOfficeForm(), isNew: true }));
  });

  router.post('/admin/offices/new', officer, async (req, res) => {
    const values = readOfficeForm(req.body);
    const checked = validateOfficeForm(values, { isNew: true, i18n });
    if (!checked.ok) return res.status(400).type('html').send(officePage(req, deps, { values, errors: checked.errors, isNew: true }));
    if (!(await save(req, checked.office, true))) {
      return res.status(400).type('html').send(officePage(req, deps, { values, errors: { slug: t('admin-kb.errors.slugTaken') }, isNew: true }));
    }
    deps.onChange?.();
    res.redirect(303, `/admin/offices/${checked.office.slug}?done=saved`);
  });

  router.get('/admin/offices/:slug', officer, async (req, res) => {
    const office = await repo.getOffice(req.params.slug as string);
    if (!office) return notFound(req, res);
    res.type('html').send(officePage(req, deps, { values: officeToForm(office), isNew: false, saved: office }));
  });

  router.post('/admin/offices/:slug', officer, async (req, res) => {
    const slug = req.params.slug as string;
    if (!(await repo.getOffice(slug))) return notFound(req, res);
    const values = readOfficeForm(req.body, slug);
    const checked = validateOfficeForm(values, { isNew: false, i18n });
    if (!checked.ok) return res.status(400).type('html').send(officePage(req, deps, { values, errors: checked.errors, isNew: false }));
    await save(req, checked.office, false);
    deps.onChange?.();
    res.redirect(303, `/admin/offices/${slug}?done=saved`);
  });

  return router;
}
