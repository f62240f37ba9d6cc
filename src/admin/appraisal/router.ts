/**
 * The remote-appraisal console (`/admin/appraisal`): the calendar and session pages for appraisers
 * and officers, availability for officers (admins pass every check). Forms are parsed and CSRF-checked
 * by the console's middleware upstream; this router adds its static script.
 */
import path from 'node:path';
import express, { Router } from 'express';
import { availabilityRoutes } from './availability-routes';
import { calendarRoutes } from './calendar-routes';
import { ASSETS, type AppraisalConsoleDeps } from './deps';
import { sessionRoutes } from './session-routes';

export function appraisalConsoleRouter(deps: AppraisalConsoleDeps): Router {
  const router = Router();
  router.use(ASSETS, express.static(path.join(__dirname, 'public'), { fallthrough: false, index: false, maxAge: '1h' }));
  router.use(calendarRoutes(deps));
  router.use(availabilityRoutes(deps));
  router.use(sessionRoutes(deps));
  return router;
}
