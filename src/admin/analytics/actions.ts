/**
 * The two one-click actions of the "not understood" page — add the question as a training example
 * of an intent, or as another name of a procedure — and the page itself. A rejected form is shown
 * again on its row with what was typed and a Vietnamese message (HTTP 400); a successful one
 * redirects back to the same page of the list (POST/redirect/GET: a reload does not post twice).
 */
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ProcedureRepository } from '../../procedures';
import type { Role } from '../kit';
import { addProcedureAlias } from './aliases';
import { intentLabel } from './labels';
import { parseRange, type AnalyticsRange } from './range';
import { ANALYTICS_CSS_URL } from './assets';
import type { AnalyticsDeps } from './router';
import { appendUtterance, cleanUtterance, MAX_UTTERANCE_LENGTH, readIntentFiles } from './training';
import { groupingKey, unansweredPage, type UnansweredPage } from './unanswered';
import { unansweredBody, type FormState } from './unanswered-view';
import { rangeQuery } from './views';

/** Confirmations shown after the redirect (keys of `admin-analytics.notices`). */
export const NOTICES = ['trained', 'alreadyTrained', 'aliased', 'alreadyAlias'] as const;
type Notice = (typeof NOTICES)[number];

const EDIT_ROLES: readonly Role[] = ['admin', 'officer'];

const actionSchema = z.object({
  key: z.string().max(2000).default(''),
  back: z.string().max(2000).default(''),
  text: z.string().max(5000).default(''),
  intent: z.string().max(200).default(''),
  procedure: z.string().max(200).default(''),
});
type ActionForm = z.infer<typeof actionSchema>;

/** The list page the form was posted from: its period and page number, re-validated (never trusted as a URL). */
function origin(back: string, now: Date): { range: AnalyticsRange; page: number } {
  const params = Object.fromEntries(new URLSearchParams(back.replace(/^\?/, '')));
  const parsed = parseRange(params, now);
  const fallback = parseRange({}, now);
  const range = parsed.ok ? parsed.range : fallback.ok ? fallback.range : undefined;
  if (!range) throw new Error('the default analytics period is invalid');
  return { range, page: Math.max(1, Math.floor(Number(params.page)) || 1) };
}

function redirectBack(res: Response, range: AnalyticsRange, page: number, notice: Notice): void {
  const values = { from: range.from, to: range.to, channel: range.channel ?? '' };
  res.redirect(303, `/admin/analytics/unanswered${rangeQuery(values, { page: String(page), notice })}`);
}

/** Renders the list page; `form` puts a rejected form back on its row (or in the flash when the row is not on this page). */
export async function renderUnanswered(
  deps: AnalyticsDeps,
  req: Request,
  res: Response,
  status: number,
  range: AnalyticsRange,
  page: UnansweredPage,
  extra: { flash?: { kind: 'success' | 'error'; text: string }; form?: FormState },
): Promise<void> {
  const intents = await readIntentFiles(deps.intentsDir);
  const procedures = await new ProcedureRepository(deps.db).listAll();
  const known = new Map<string, { kind: 'intent' | 'procedure'; label: string }>();
  for (const p of procedures) for (const name of [p.name, ...p.aliases]) known.set(groupingKey(name), { kind: 'procedure', label: p.name });
  for (const f of intents) for (const u of f.utterances) known.set(groupingKey(u), { kind: 'intent', label: intentLabel(deps.i18n, f.intent) });

  const canEdit = req.official !== undefined && EDIT_ROLES.includes(req.official.role);
  const onPage = extra.form !== undefined && page.groups.some((g) => g.key === extra.form?.key);
  const flash = extra.form && !onPage ? { kind: 'error' as const, text: extra.form.error } : extra.flash;
  const body = unansweredBody(deps.i18n, {
    values: { from: range.from, to: range.to, channel: range.channel ?? '' },
    page,
    canEdit,
    csrfField: deps.kit.csrfField(req),
    intents: intents.map((f) => f.intent),
    procedures: procedures.filter((p) => p.status === 'active').map((p) => ({ slug: p.slug, name: p.name })),
    known,
    form: onPage ? extra.form : undefined,
  });
  res.status(status).type('html').send(
    deps.kit.page(req, { title: deps.i18n.t('admin-analytics.unanswered.title'), active: 'analytics', body, flash, scripts: [ANALYTICS_CSS_URL] }),
  );
}

/** Checks the text common to both actions; returns the message key of the problem, if any. */
function textProblem(text: string): string | null {
  const clean = cleanUtterance(text);
  if (clean === '') return 'errors.textRequired';
  if (clean.length > MAX_UTTERANCE_LENGTH) return 'errors.textTooLong';
  return null;
}

async function reject(deps: AnalyticsDeps, req: Request, res: Response, now: Date, f: ActionForm, kind: FormState['kind'], error: string) {
  const { range, page } = origin(f.back, now);
  const list = await unansweredPage(deps.db, range, page);
  const choice = kind === 'train' ? f.intent : f.procedure;
  await renderUnanswered(deps, req, res, 400, range, list, { form: { kind, key: f.key, text: f.text, choice, error } });
}

/** `POST /admin/analytics/unanswered/train`: appends the text to `intents/<intent>.json`, audited. */
export async function handleTrain(deps: AnalyticsDeps, req: Request, res: Response, now: Date): Promise<void> {
  const t = (key: string, params?: Record<string, string>) => deps.i18n.t(`admin-analytics.${key}`, params);
  const f = actionSchema.parse(req.body ?? {});
  const problem = textProblem(f.text) ?? (f.intent === '' ? 'errors.chooseIntent' : null);
  if (problem) return reject(deps, req, res, now, f, 'train', t(problem));

  const officialId = req.official?.id ?? null;
  const result = await deps.db.transaction((tx) =>
    appendUtterance(deps.intentsDir, f.intent, f.text, (change) =>
      deps.kit.audit(tx, {
        officialId,
        action: 'intent.utterance.add',
        entity: 'intent',
        entityId: change.intent,
        before: { file: change.file, utterances: change.before },
        after: { file: change.file, utterances: change.after, added: change.utterance },
      }),
    ),
  );
  const { range, page } = origin(f.back, now);
  switch (result.status) {
    case 'unknownIntent':
      return reject(deps, req, res, now, f, 'train', t('errors.chooseIntent'));
    case 'otherIntent':
      return reject(deps, req, res, now, f, 'train', t('errors.otherIntent', { intent: intentLabel(deps.i18n, result.intent) }));
    case 'present':
      return redirectBack(res, range, page, 'alreadyTrained');
    case 'added':
      deps.logger?.info({ intent: result.intent, officialId }, 'training example added');
      deps.onTrainingDataChanged?.();
      return redirectBack(res, range, page, 'trained');
  }
}

/** `POST /admin/analytics/unanswered/alias`: adds the text to an active procedure's aliases, audited. */
export async function handleAlias(deps: AnalyticsDeps, req: Request, res: Response, now: Date): Promise<void> {
  const t = (key: string) => deps.i18n.t(`admin-analytics.${key}`);
  const f = actionSchema.parse(req.body ?? {});
  const active = (await new ProcedureRepository(deps.db).listActive()).map((p) => p.slug);
  const problem = textProblem(f.text) ?? (active.includes(f.procedure) ? null : 'errors.chooseProcedure');
  if (problem) return reject(deps, req, res, now, f, 'alias', t(problem));

  const officialId = req.official?.id ?? null;
  const result = await addProcedureAlias(deps.db, deps.kit, officialId, f.procedure, f.text);
  const { range, page } = origin(f.back, now);
  switch (result.status) {
    case 'unknownProcedure':
      return reject(deps, req, res, now, f, 'alias', t('errors.chooseProcedure'));
    case 'present':
      return redirectBack(res, range, page, 'alreadyAlias');
    case 'added':
      deps.logger?.info({ procedure: result.slug, officialId }, 'procedure alias added');
      deps.onAliasAdded?.();
      return redirectBack(res, range, page, 'aliased');
  }
}
