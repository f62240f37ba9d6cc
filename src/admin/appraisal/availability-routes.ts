/**
 * Availability routes (officers; admins pass): the overview, the appraiser form (new and edit) and
 * days off (add, remove). Each write is audited in its transaction.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { html } from '../html';
import { readAppraiserForm, readDayOffForm, validateAppraiserForm, validateDayOff, type AppraiserFormValues, type DayOffValues } from './availability-form';
import { appraiserFormPage, availabilityPage, AVAILABILITY } from './availability-page';
import {
  addDayOff,
  appraisalProcedures,
  appraiserAccounts,
  getAppraiser,
  listAppraisers,
  listDaysOff,
  removeDayOff,
  saveAppraiser,
  type AppraiserFull,
} from './availability-store';
import { BASE, doneFlash, isUuid, signedIn, type AppraisalConsoleDeps } from './deps';
import type { FieldErrors } from './session-forms';
import { vnDay } from './vn-calendar';
import { hoursToLines } from './working-hours';

const DEFAULT_CAPACITY = '6';

function toForm(a: AppraiserFull): AppraiserFormValues {
  return {
    name: a.name,
    phone: a.phone ?? '',
    officialId: a.officialId ?? '',
    procedures: z.array(z.string()).catch([]).parse(a.procedures),
    dailyCapacity: String(a.dailyCapacity),
    active: a.active,
    hours: hoursToLines(a.workingHours),
  };
}

export function availabilityRoutes(deps: AppraisalConsoleDeps): Router {
  const { db, kit, i18n } = deps;
  const router = Router();
  const officer = kit.requireRole('officer');
  const now = () => deps.clock?.() ?? new Date();
  const t = (k: string) => i18n.t(`admin-appraisal.${k}`);

  async function renderOverview(req: Request, res: Response, status: number, dayOff?: { values: DayOffValues; errors: FieldErrors }) {
    const [appraisers, procedures, daysOff] = await Promise.all([listAppraisers(db), appraisalProcedures(db), listDaysOff(db, vnDay(now()))]);
    const clashes = z.coerce.number().int().min(0).catch(0).parse(req.query.clashes);
    const done = doneFlash(req, i18n);
    const flash = dayOff
      ? { kind: 'error' as const, text: t('errors.formInvalid') }
      : clashes > 0
        ? { kind: 'error' as const, text: i18n.t('admin-appraisal.warnings.dayOffClashes', { n: clashes }) }
        : done;
    res.status(status).type('html').send(
      kit.page(req, {
        title: t('availability.title'),
        active: 'appraisal',
        flash,
        body: availabilityPage({ appraisers, procedureNames: new Map(procedures.map((p) => [p.slug, p.name])), daysOff, csrfField: kit.csrfField(req), dayOff }, i18n),
      }),
    );
  }

  async function renderForm(req: Request, res: Response, status: number, id: string | undefined, values: AppraiserFormValues, errors?: FieldErrors) {
    const [procedures, accounts] = await Promise.all([appraisalProcedures(db), appraiserAccounts(db)]);
    res.status(status).type('html').send(
      kit.page(req, {
        title: id ? i18n.t('admin-appraisal.appraiserForm.editTitle', { name: values.name }) : t('appraiserForm.newTitle'),
        active: 'appraisal',
        flash: errors ? { kind: 'error', text: t('errors.formInvalid') } : doneFlash(req, i18n),
        body: appraiserFormPage({ id, values, errors, procedures, accounts, csrfField: kit.csrfField(req) }, i18n),
      }),
    );
  }

  function notFound(req: Request, res: Response) {
    res.status(404).type('html').send(
      kit.page(req, { title: t('availability.title'), active: 'appraisal', flash: { kind: 'error', text: t('errors.appraiserNotFound') }, body: html`<p><a class="btn" href="${AVAILABILITY}">${t('appraiserForm.back')}</a></p>` }),
    );
  }

  router.get(AVAILABILITY, officer, async (req, res) => {
    await renderOverview(req, res, 200);
  });

  router.get(`${BASE}/appraisers/new`, officer, async (req, res) => {
    const blank: AppraiserFormValues = { name: '', phone: '', officialId: '', procedures: [], dailyCapacity: DEFAULT_CAPACITY, active: true, hours: hoursToLines([]) };
    await renderForm(req, res, 200, undefined, blank);
  });

  router.get(`${BASE}/appraisers/:id`, officer, async (req, res) => {
    const id = req.params.id as string;
    const appraiser = isUuid(id) ? await getAppraiser(db, id) : undefined;
    if (!appraiser) return notFound(req, res);
    await renderForm(req, res, 200, id, toForm(appraiser));
  });

  router.post(`${BASE}/appraisers/:id`, officer, async (req, res) => {
    const param = req.params.id as string;
    const id = param === 'new' ? undefined : param;
    if (id !== undefined && !(isUuid(id) && (await getAppraiser(db, id)))) return notFound(req, res);
    const values = readAppraiserForm(req.body);
    const [procedures, accounts] = await Promise.all([appraisalProcedures(db), appraiserAccounts(db)]);
    const taken = (await listAppraisers(db)).filter((a) => a.id !== id && a.officialId).map((a) => a.officialId as string);
    const checked = validateAppraiserForm(values, { procedures: procedures.map((p) => p.slug), officialIds: accounts.map((a) => a.id), takenOfficialIds: taken, i18n });
    if (!checked.ok) return renderForm(req, res, 400, id, values, checked.errors);
    const saved = await saveAppraiser(db, kit, signedIn(req).id, id, checked.record);
    if (!saved) return notFound(req, res);
    res.redirect(303, `${AVAILABILITY}?done=appraiserSaved`);
  });

  router.post(`${BASE}/days-off`, officer, async (req, res) => {
    const values = readDayOffForm(req.body);
    const appraisers = await listAppraisers(db);
    const checked = validateDayOff(values, { today: vnDay(now()), appraiserIds: appraisers.map((a) => a.id), i18n });
    if (!checked.ok) return renderOverview(req, res, 400, { values, errors: checked.errors });
    const result = await addDayOff(db, kit, signedIn(req).id, checked.dayOff);
    if (!result.added) return renderOverview(req, res, 409, { values, errors: { day: t('errors.dayOffExists') } });
    res.redirect(303, `${AVAILABILITY}?done=dayOffAdded${result.clashes > 0 ? `&clashes=${result.clashes}` : ''}#days-off`);
  });

  router.post(`${BASE}/days-off/:id/delete`, officer, async (req, res) => {
    const id = req.params.id as string;
    const removed = isUuid(id) && (await removeDayOff(db, kit, signedIn(req).id, id));
    if (!removed) return notFound(req, res);
    res.redirect(303, `${AVAILABILITY}?done=dayOffRemoved#days-off`);
  });

  return router;
}
