/**
 * The analytics section of the officials' console: the dashboard with charts, the questions the bot
 * did not understand (with one-click training), CSV exports, and the chart library served locally
 * (our networks may be closed: no CDN).
 */
import express, { Router, type Request, type Response } from 'express';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import type { AdminKit } from '../kit';
import { csvFileName, exportCsv, isReport } from './export';
import { handoffsPerDay, messagesPerDay, overview, ratingsPerWeek, topIntents, topProcedures } from './queries';
import { MAX_RANGE_DAYS, parseRange, type AnalyticsRange, type RangeProblem } from './range';
import { unansweredPage } from './unanswered';
import { dashboardBody, filterForm, type FilterValues } from './views';
import { handleAlias, handleTrain, NOTICES, renderUnanswered } from './actions';
import { ANALYTICS_CSS_URL, ANALYTICS_JS_URL, ASSETS_URL, CHART_JS_FILE, CHART_JS_URL, PUBLIC_DIR } from './assets';

/** What the analytics router needs. */
export interface AnalyticsDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  /** The NLU's training files (`intents/`); tests pass a temporary copy. */
  intentsDir: string;
  /** Called after a training example was written (the NLU retrains from the files at its next start). */
  onTrainingDataChanged?: () => void;
  /** Called after a procedure alias was added, so the running NLU's procedure matcher reloads names at once. */
  onAliasAdded?: () => void;
  /** The clock for the default period (tests fix it). */
  now?: () => Date;
  logger?: Logger;
}

/**
 * Routes (mounted at the app root): `GET /admin/analytics`, `GET /admin/analytics/unanswered`,
 * `POST /admin/analytics/unanswered/train`, `POST /admin/analytics/unanswered/alias`,
 * `GET /admin/analytics/export.csv`, and the assets under `/admin/assets/analytics/`.
 * Reading needs `viewer` or `officer`; the two actions change the bot and need `officer` (admin passes both).
 */
export function analyticsRouter(deps: AnalyticsDeps): Router {
  const router = Router();
  const canRead = deps.kit.requireRole('viewer', 'officer');
  const canEdit = deps.kit.requireRole('officer');
  const now = deps.now ?? (() => new Date());
  const t = (key: string) => deps.i18n.t(`admin-analytics.${key}`);
  const rangeError = (problem: RangeProblem) => deps.i18n.t(`admin-analytics.errors.${problem}`, { days: MAX_RANGE_DAYS });

  // Public assets (a library and our drawing code, no data): like the console's CSS, no sign-in needed.
  router.get(CHART_JS_URL, (_req, res) => {
    res.type('text/javascript').sendFile(CHART_JS_FILE, { maxAge: '1d' });
  });
  router.use(ASSETS_URL, express.static(PUBLIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));

  const badRange = (req: Request, res: Response, action: string, values: FilterValues, error: string, title: string) => {
    res.status(400).type('html').send(
      deps.kit.page(req, { title, active: 'analytics', body: filterForm(deps.i18n, action, values, error), flash: { kind: 'error', text: error } }),
    );
  };

  router.get('/admin/analytics', canRead, async (req, res) => {
    const parsed = parseRange(req.query, now());
    if (!parsed.ok) return badRange(req, res, '/admin/analytics', parsed.values, rangeError(parsed.error), t('title'));
    const data = await dashboard(deps.db, parsed.range);
    res.type('html').send(
      deps.kit.page(req, {
        title: t('title'),
        active: 'analytics',
        body: dashboardBody(deps.i18n, data),
        scripts: [ANALYTICS_CSS_URL, CHART_JS_URL, ANALYTICS_JS_URL],
      }),
    );
  });

  router.get('/admin/analytics/unanswered', canRead, async (req, res) => {
    const parsed = parseRange(req.query, now());
    if (!parsed.ok) {
      return badRange(req, res, '/admin/analytics/unanswered', parsed.values, rangeError(parsed.error), t('unanswered.title'));
    }
    const pageNo = Number(typeof req.query.page === 'string' ? req.query.page : 1);
    const notice = typeof req.query.notice === 'string' && (NOTICES as readonly string[]).includes(req.query.notice) ? req.query.notice : null;
    const page = await unansweredPage(deps.db, parsed.range, pageNo);
    await renderUnanswered(deps, req, res, 200, parsed.range, page, {
      flash: notice ? { kind: 'success', text: t(`notices.${notice}`) } : undefined,
    });
  });

  const form = express.urlencoded({ extended: false, limit: '20kb' });
  router.post('/admin/analytics/unanswered/train', canEdit, form, (req, res) => handleTrain(deps, req, res, now()));
  router.post('/admin/analytics/unanswered/alias', canEdit, form, (req, res) => handleAlias(deps, req, res, now()));

  router.get('/admin/analytics/export.csv', canRead, async (req, res) => {
    const parsed = parseRange(req.query, now());
    const report = req.query.report;
    if (!parsed.ok || !isReport(report)) {
      res.status(400).type('text/plain; charset=utf-8').send(parsed.ok ? t('errors.badReport') : rangeError(parsed.error));
      return;
    }
    const csv = await exportCsv(deps.db, deps.i18n, report, parsed.range);
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${csvFileName(report, parsed.range)}"`,
        'Cache-Control': 'no-store',
      })
      .send(csv);
  });

  return router;
}

/** Everything the dashboard shows, queried in parallel (on PGlite they queue on its one connection). */
async function dashboard(db: Db, range: AnalyticsRange) {
  const [o, perDay, intents, procedures, handoffs, ratings] = await Promise.all([
    overview(db, range),
    messagesPerDay(db, range),
    topIntents(db, range, 10),
    topProcedures(db, range, 10),
    handoffsPerDay(db, range),
    ratingsPerWeek(db, range),
  ]);
  return { range, overview: o, perDay, intents, procedures, handoffs, ratings };
}
