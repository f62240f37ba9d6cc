/**
 * Procedure pages: list, create, edit (with an optimistic-lock check), preview of unsaved values,
 * retire and restore. Every write runs in one transaction with its audit entry, then tells the bot
 * (`onChange`) so the next answer uses the new content.
 */
import { Router, type Request, type Response } from 'express';
import { ProcedureRepository, type Procedure, type StoredProcedure } from '../../procedures';
import { html } from '../html';
import { doneFlash, officialId, type FieldErrors, type KnowledgeBaseDeps } from './deps';
import { chatPreview } from './preview';
import { procedureListPage } from './procedure-list';
import { procedurePage } from './procedure-page';
import {
  emptyProcedureForm,
  procedureToForm,
  readProcedureForm,
  validateProcedureForm,
  type ProcedureFormValues,
} from './procedure-form';

/** Thrown inside a save transaction to roll it back and tell the official why. */
class SaveRefused extends Error {
  constructor(readonly status: number, readonly errors: FieldErrors) {
    super('save refused');
  }
}

export function procedureRoutes(deps: KnowledgeBaseDeps): Router {
  const router = Router();
  const { db, kit, i18n } = deps;
  const repo = new ProcedureRepository(db);
  const officer = kit.requireRole('officer');
  const t = (k: string) => i18n.t(k);

  async function savedPreview(p: StoredProcedure) {
    return { body: chatPreview(p, await repo.getOffice(p.where.officeSlug), i18n), draft: false };
  }

  async function render(req: Request, res: Response, status: number, values: ProcedureFormValues, extra: { errors?: FieldErrors; isNew: boolean; stored?: StoredProcedure; draft?: Procedure }) {
    const offices = await repo.listOffices();
    let preview;
    if (extra.draft) {
      const office = offices.find((o) => o.slug === extra.draft?.where.officeSlug);
      preview = { body: chatPreview({ ...extra.draft, updatedAt: new Date() }, office, i18n), draft: true };
    } else if (extra.stored && !extra.errors) preview = await savedPreview(extra.stored);
    const flash = extra.errors ? undefined : doneFlash(req, i18n);
    res.status(status).type('html').send(
      procedurePage(req, deps, { values, errors: extra.errors, offices, isNew: extra.isNew, status: extra.stored?.status, preview, flash }),
    );
  }

  function notFound(req: Request, res: Response) {
    res.status(404).type('html').send(kit.page(req, { title: t('admin-kb.notFound'), body: html`<p>${t('admin-kb.notFound')}</p>
      <p><a class="btn" href="/admin/procedures">${t('admin-kb.backToList')}</a></p>`, active: 'procedures' }));
  }

  router.get('/admin/procedures', officer, async (req, res) => {
    res.type('html').send(procedureListPage(req, deps, await repo.listAll()));
  });

  router.get('/admin/procedures/new', officer, async (req, res) => {
    await render(req, res, 200, emptyProcedureForm(), { isNew: true });
  });

  router.post('/admin/procedures/new', officer, async (req, res) => {
    const values = readProcedureForm(req.body);
    const checked = validateProcedureForm(values, { offices: await repo.listOffices(), status: 'active', isNew: true, i18n });
    if (!checked.ok) return render(req, res, 400, values, { errors: checked.errors, isNew: true });
    const p = checked.procedure;
    try {
      await db.transaction(async (tx) => {
        const { updated } = await new ProcedureRepository(tx).upsert({ procedures: [p], offices: [] });
        // The upsert turned into an update: someone holds the slug (maybe created a moment ago).
        if (updated > 0) throw new SaveRefused(400, { slug: t('admin-kb.errors.slugTaken') });
        await kit.audit(tx, { officialId: officialId(req), action: 'procedure.create', entity: 'procedure', entityId: p.slug, before: null, after: p });
      });
    } catch (e) {
      if (e instanceof SaveRefused) return render(req, res, e.status, values, { errors: e.errors, isNew: true });
      throw e;
    }
    deps.onChange?.();
    res.redirect(303, `/admin/procedures/${p.slug}?done=created`);
  });

  router.get('/admin/procedures/:slug', officer, async (req, res) => {
    const stored = await repo.get(req.params.slug as string);
    if (!stored) return notFound(req, res);
    await render(req, res, 200, procedureToForm(stored, stored.updatedAt), { isNew: false, stored });
  });

  router.post('/admin/procedures/:slug', officer, async (req, res) => {
    const slug = req.params.slug as string;
    const current = await repo.get(slug);
    if (!current) return notFound(req, res);
    const values = readProcedureForm(req.body, slug);
    const checked = validateProcedureForm(values, { offices: await repo.listOffices(), status: current.status, isNew: false, i18n });
    if (!checked.ok) return render(req, res, 400, values, { errors: checked.errors, isNew: false, stored: current });
    const p = checked.procedure;
    try {
      await db.transaction(async (tx) => {
        const txRepo = new ProcedureRepository(tx);
        const before = await txRepo.get(slug, { forUpdate: true });
        if (!before) throw new SaveRefused(404, {});
        if (values.updatedAt && before.updatedAt.toISOString() !== values.updatedAt) {
          throw new SaveRefused(409, { conflict: t('admin-kb.errors.conflict') });
        }
        // Status changes only through retire/restore, never as a side effect of a content edit.
        const after: Procedure = { ...p, status: before.status };
        await txRepo.upsert({ procedures: [after], offices: [] });
        const { updatedAt: _u, ...beforeContent } = before;
        await kit.audit(tx, { officialId: officialId(req), action: 'procedure.update', entity: 'procedure', entityId: slug, before: beforeContent, after });
      });
    } catch (e) {
      if (e instanceof SaveRefused && e.status === 404) return notFound(req, res);
      if (e instanceof SaveRefused) return render(req, res, e.status, values, { errors: e.errors, isNew: false, stored: current });
      throw e;
    }
    deps.onChange?.();
    res.redirect(303, `/admin/procedures/${slug}?done=saved`);
  });

  /** Renders the unsaved form values as the bot would answer; writes nothing. */
  router.post('/admin/procedures/:slug/preview', officer, async (req, res) => {
    const slug = req.params.slug as string;
    const isNew = slug === 'new';
    const stored = isNew ? undefined : await repo.get(slug);
    if (!isNew && !stored) return notFound(req, res);
    const values = readProcedureForm(req.body, isNew ? undefined : slug);
    const checked = validateProcedureForm(values, { offices: await repo.listOffices(), status: stored?.status ?? 'active', isNew, i18n });
    if (!checked.ok) return render(req, res, 400, values, { errors: checked.errors, isNew, stored });
    await render(req, res, 200, values, { isNew, stored, draft: checked.procedure });
  });

  const statusChanges = [
    { verb: 'retire', status: 'retired', done: 'retired' },
    { verb: 'restore', status: 'active', done: 'restored' },
  ] as const;
  for (const { verb, status, done } of statusChanges) {
    router.post(`/admin/procedures/:slug/${verb}`, officer, async (req, res) => {
      const slug = req.params.slug as string;
      const changed = await db.transaction(async (tx) => {
        const txRepo = new ProcedureRepository(tx);
        const before = await txRepo.get(slug, { forUpdate: true });
        if (!before) return undefined;
        const { updatedAt: _u, ...content } = before;
        if (content.status === status) return content;
        const after: Procedure = { ...content, status };
        await txRepo.upsert({ procedures: [after], offices: [] });
        await kit.audit(tx, { officialId: officialId(req), action: `procedure.${verb}`, entity: 'procedure', entityId: slug, before: content, after });
        return after;
      });
      if (!changed) return notFound(req, res);
      deps.onChange?.();
      res.redirect(303, `/admin/procedures/${slug}?done=${done}`);
    });
  }

  return router;
}
