/** `GET /admin/appraisal`: the day or week calendar for appraisers and officers. */
import { Router } from 'express';
import type { Role } from '../kit';
import { roleAllows } from '../layout/nav';
import { calendarPage, type CalendarModel, type CalendarView } from './calendar-page';
import { BASE, doneFlash, SESSION_ROLES, signedIn, type AppraisalConsoleDeps } from './deps';
import { listAppraiserOptions, listSessions } from './store';
import { addDays, isIsoDay, vnDay, vnMidnight, weekStart } from './vn-calendar';

/** Roles that manage availability (appraisers only see it through their sessions). */
export const MANAGER_ROLES: readonly Role[] = ['officer'];

export function calendarRoutes(deps: AppraisalConsoleDeps): Router {
  const { db, kit, i18n } = deps;
  const router = Router();
  const now = () => deps.clock?.() ?? new Date();

  router.get(BASE, kit.requireRole(...SESSION_ROLES), async (req, res) => {
    const official = signedIn(req);
    const today = vnDay(now());
    const view: CalendarView = req.query.view === 'day' ? 'day' : 'week';
    const day = isIsoDay(req.query.date) ? req.query.date : today;
    const appraisers = await listAppraiserOptions(db);
    // An appraiser opens on their own sessions; anyone may switch to all or to a colleague.
    const asked = typeof req.query.appraiser === 'string' ? req.query.appraiser : undefined;
    const mine = appraisers.find((a) => a.officialId === official.id);
    const appraiser = asked === 'all' ? 'all' : appraisers.some((a) => a.id === asked) ? (asked as string) : (mine?.id ?? 'all');

    const first = view === 'week' ? weekStart(day) : day;
    const days = Array.from({ length: view === 'week' ? 7 : 1 }, (_, i) => addDays(first, i));
    const sessions = await listSessions(db, {
      from: vnMidnight(first),
      to: vnMidnight(addDays(first, days.length)),
      appraiserId: appraiser === 'all' ? undefined : appraiser,
    });
    const model: CalendarModel = { view, day, days, today, sessions, appraisers, appraiser };
    res.type('html').send(
      kit.page(req, {
        title: i18n.t('admin-appraisal.calendar.title'),
        active: 'appraisal',
        flash: doneFlash(req, i18n),
        body: calendarPage(model, i18n, roleAllows(official.role, MANAGER_ROLES)),
      }),
    );
  });

  return router;
}
