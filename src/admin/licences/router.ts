/**
 * The licence register in the console: `/admin/licences` (list, search, filters), one licence with
 * its linked chat identities and reminder history, the CSV export and the import. Officers and
 * admins change and export; viewers read the list and the licence pages.
 */
import { once } from 'node:events';
import path from 'node:path';
import express, { Router } from 'express';
import { LicenceRepository, licencesCsvLines, vietnamToday } from '../../licences';
import { ProcedureRepository } from '../../procedures';
import { html } from '../html';
import { ASSETS, officialId, sectionT, type LicencesConsoleDeps } from './deps';
import { readListFilter, toSearch } from './filter';
import { importRoutes } from './import-routes';
import { licencePage } from './licence-page';
import { listPage } from './list-page';
import { linkedIdentities, reminderHistory } from './store';

export function licencesRouter(deps: LicencesConsoleDeps): Router {
  const router = Router();
  const { db, kit, i18n } = deps;
  const t = sectionT(i18n);
  const repo = new LicenceRepository(db);
  const readers = kit.requireRole('officer', 'viewer');
  const officer = kit.requireRole('officer');

  /** Procedure names by slug, by name: the licence types. */
  const types = async (): Promise<ReadonlyMap<string, string>> => {
    const all = await new ProcedureRepository(db).listAll();
    return new Map(all.sort((a, b) => a.name.localeCompare(b.name, 'vi')).map((p) => [p.slug, p.name]));
  };

  router.use(ASSETS, express.static(path.join(__dirname, 'public'), { fallthrough: false, index: false, maxAge: '1h' }));

  router.get('/admin/licences', readers, async (req, res) => {
    const filter = readListFilter(req.query);
    const today = vietnamToday();
    const result = await repo.search(toSearch(filter, today));
    res.type('html').send(listPage(req, deps, { filter, result, today, types: await types() }));
  });

  router.get('/admin/licences/export.csv', officer, async (req, res) => {
    const filter = readListFilter(req.query);
    const today = vietnamToday();
    const { page: _page, ...search } = toSearch(filter, today);
    // Phone numbers of the whole register leave the system: who took them is on record.
    await kit.audit(db, { officialId: officialId(req), action: 'licence.export', entity: 'licence', after: { filter: search } });
    res.attachment(`giay-phep-${today}.csv`).type('text/csv; charset=utf-8');
    for await (const line of licencesCsvLines(repo.iterate(search))) {
      if (!res.write(line)) await once(res, 'drain');
    }
    res.end();
  });

  router.use(importRoutes(deps, types));

  router.get('/admin/licences/:id', readers, async (req, res) => {
    const id = String(req.params.id);
    const licence = await repo.get(id);
    if (!licence) {
      res.status(404).type('html').send(kit.page(req, { title: t('detail.notFoundTitle'), body: html`<p>${t('detail.notFound')}</p><p><a class="btn" href="/admin/licences">${t('detail.back')}</a></p>`, active: 'licences' }));
      return;
    }
    const [links, reminders] = await Promise.all([linkedIdentities(db, licence.id), reminderHistory(db, licence.id)]);
    res.type('html').send(licencePage(req, deps, { licence, links, reminders, today: vietnamToday(), types: await types() }));
  });

  return router;
}
