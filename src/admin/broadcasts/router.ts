/**
 * Broadcasts in the console (role officer; admin passes): the list, compose (count, preview, send
 * now or schedule), each broadcast's live progress with pause / resume / cancel, and the delivery
 * outcomes summary. Every change is audited in the transaction that makes it; forms carry the CSRF
 * token (checked by the console's middleware before these handlers run).
 */
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  broadcastProgress,
  broadcastResults,
  changeStatus,
  countSegment,
  createBroadcast,
  deliverBroadcasts,
  deliveryOutcomes,
  getBroadcast,
  listBroadcasts,
  type StatusAction,
} from '../../broadcasts';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { ProcedureRepository } from '../../procedures';
import { html } from '../html';
import type { AdminKit, Official } from '../kit';
import { readComposeValues, readMessage, readSegment, segmentFingerprint, emptyValues, type ComposeValues, type FieldErrors } from './compose-form';
import { composePage, type ComposeView } from './compose-page';
import { tb } from './labels';
import { listPage } from './list-page';
import { outcomesPage, readOutcomeRange } from './outcomes-page';
import { liveSection, progressPage, type ProgressView } from './progress-page';

export interface BroadcastsDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  logger: Logger;
  /** Messages were queued (a broadcast sent now): wake the outbox worker. */
  onOutbound?: () => void;
  /** The clock (tests fix it). */
  clock?: () => Date;
}

const PUBLIC_DIR = path.join(__dirname, 'public');
const ASSETS = ['/admin/assets/broadcasts/broadcasts.css'];
const LIVE_SCRIPT = '/admin/assets/broadcasts/progress.js';
const DONE = ['created', 'scheduled', 'pause', 'resume', 'cancel'] as const;
const uuid = z.uuid();

export function broadcastsRouter(deps: BroadcastsDeps): Router {
  const { db, kit, i18n, logger } = deps;
  const now = () => deps.clock?.() ?? new Date();
  const procedures = new ProcedureRepository(db);
  const router = Router();
  const officer = kit.requireRole('officer');
  const form = express.urlencoded({ extended: false, limit: '64kb' });

  router.use('/admin/assets/broadcasts', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));

  const signedIn = (req: Request): Official => {
    if (!req.official) throw new Error('broadcasts route reached without a signed-in official');
    return req.official;
  };
  const procedureChoices = async () =>
    (await procedures.listAll()).map((p) => ({ slug: p.slug, name: p.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const procedureNames = async () => new Map((await procedureChoices()).map((p) => [p.slug, p.name]));

  async function renderCompose(req: Request, res: Response, status: number, values: ComposeValues, errors: FieldErrors, extra: Partial<ComposeView> = {}, flash?: string) {
    const view: ComposeView = { values, errors, procedures: await procedureChoices(), csrfField: kit.csrfField(req), ...extra };
    res.status(status).type('html').send(
      kit.page(req, {
        title: tb(i18n, 'compose.pageTitle'),
        active: 'broadcasts',
        body: composePage(view, i18n),
        scripts: ASSETS,
        flash: flash ? { kind: 'error', text: flash } : undefined,
      }),
    );
  }

  async function progressView(req: Request, id: string): Promise<ProgressView | undefined> {
    const broadcast = uuid.safeParse(id).success ? await getBroadcast(db, id) : undefined;
    if (!broadcast) return undefined;
    const at = now();
    const [progress, results, names] = await Promise.all([broadcastProgress(db, id, at), broadcastResults(db, id, at), procedureNames()]);
    return { broadcast, progress, results, names, csrfField: kit.csrfField(req), now: at };
  }

  function notFound(req: Request, res: Response) {
    res.status(404).type('html').send(
      kit.page(req, {
        title: tb(i18n, 'list.title'),
        active: 'broadcasts',
        flash: { kind: 'error', text: tb(i18n, 'errors.notFound') },
        body: html`<p><a href="/admin/broadcasts">${tb(i18n, 'progress.back')}</a></p>`,
      }),
    );
  }

  async function renderProgress(req: Request, res: Response, status: number, id: string, flash?: { kind: 'success' | 'error'; text: string }) {
    const view = await progressView(req, id);
    if (!view) return notFound(req, res);
    res.status(status).type('html').send(
      kit.page(req, { title: view.broadcast.title, active: 'broadcasts', flash, body: progressPage(view, i18n), scripts: [...ASSETS, LIVE_SCRIPT] }),
    );
  }

  router.get('/admin/broadcasts', officer, async (req, res) => {
    const [list, names] = await Promise.all([listBroadcasts(db), procedureNames()]);
    res.type('html').send(kit.page(req, { title: tb(i18n, 'list.title'), active: 'broadcasts', body: listPage(list, names, i18n), scripts: ASSETS }));
  });

  router.get('/admin/broadcasts/new', officer, async (req, res) => {
    await renderCompose(req, res, 200, emptyValues(), {});
  });

  router.post('/admin/broadcasts/new', officer, form, async (req, res) => {
    const values = readComposeValues(req.body);
    const at = now();
    const { segment, errors: segmentErrors } = readSegment(values);
    if (!segment) return renderCompose(req, res, 400, values, segmentErrors);
    const total = await countSegment(db, segment, at);
    const fingerprint = segmentFingerprint(segment);
    const counted = { total, fingerprint };
    if (req.body?.action !== 'send') return renderCompose(req, res, 200, values, {}, { count: counted });

    // Sending: the audience must be the one the official saw counted.
    if (values.countedSegment !== fingerprint || values.countedTotal !== String(total.total)) {
      return renderCompose(req, res, 409, values, {}, { count: counted }, tb(i18n, 'errors.countChanged'));
    }
    const { message, errors } = readMessage(values, at);
    if (!message) return renderCompose(req, res, 400, values, errors, { count: counted });
    const official = signedIn(req);
    const result = await createBroadcast(db, { ...message, segment, createdBy: official.id }, at, (tx, b) =>
      kit.audit(tx, {
        officialId: official.id,
        action: 'broadcast.create',
        entity: 'broadcast',
        entityId: b.id,
        after: { title: b.title, text: b.text, segment: b.segment, scheduledAt: b.scheduledAt, recipientCount: b.recipientCount },
      }),
    );
    if (!result.ok) return renderCompose(req, res, 409, values, {}, { count: { ...counted, total: { total: 0, byChannel: { zalo: 0, messenger: 0 } } } }, tb(i18n, 'errors.emptySegment'));
    const { broadcast } = result;
    logger.info({ broadcastId: broadcast.id, officialId: official.id, recipients: broadcast.recipientCount }, 'broadcast created');
    const sendNow = !broadcast.scheduledAt || broadcast.scheduledAt.getTime() <= at.getTime();
    if (sendNow) {
      // Hand the first batches over at once rather than at the next minute's tick; if this fails the
      // job picks the broadcast up anyway (it is already frozen and scheduled).
      try {
        const summary = await deliverBroadcasts(db, at, { i18n });
        if (summary.queued > 0) deps.onOutbound?.();
      } catch (err) {
        logger.error({ err, broadcastId: broadcast.id }, 'immediate broadcast delivery failed: the job will retry');
      }
    }
    res.redirect(303, `/admin/broadcasts/${broadcast.id}?done=${sendNow ? 'created' : 'scheduled'}`);
  });

  router.get('/admin/broadcasts/:id', officer, async (req, res) => {
    const done = DONE.find((d) => d === req.query.done);
    await renderProgress(req, res, 200, req.params.id as string, done ? { kind: 'success', text: tb(i18n, `flash.${done}`) } : undefined);
  });

  router.get('/admin/broadcasts/:id/live', officer, async (req, res) => {
    const view = await progressView(req, req.params.id as string);
    res.set('Cache-Control', 'no-store');
    if (!view) {
      res.status(404).type('text').send(tb(i18n, 'errors.notFound'));
      return;
    }
    res.type('html').send(liveSection(view, i18n).value);
  });

  for (const action of ['pause', 'resume', 'cancel'] as const satisfies readonly StatusAction[]) {
    router.post(`/admin/broadcasts/:id/${action}`, officer, form, async (req, res) => {
      const id = req.params.id as string;
      if (!uuid.safeParse(id).success) return notFound(req, res);
      if (action === 'cancel' && req.body?.confirm !== 'yes') {
        return renderProgress(req, res, 400, id, { kind: 'error', text: tb(i18n, 'errors.confirmCancel') });
      }
      const official = signedIn(req);
      const change = await changeStatus(db, id, action, now(), (tx, c) =>
        kit.audit(tx, { officialId: official.id, action: `broadcast.${action}`, entity: 'broadcast', entityId: id, before: { status: c.before }, after: { status: c.after } }),
      );
      if (!change.ok) {
        if (change.reason === 'not_found') return notFound(req, res);
        return renderProgress(req, res, 409, id, { kind: 'error', text: tb(i18n, 'errors.notAllowed') });
      }
      logger.info({ broadcastId: id, officialId: official.id, action }, 'broadcast status changed');
      res.redirect(303, `/admin/broadcasts/${id}?done=${action}`);
    });
  }

  router.get('/admin/delivery-outcomes', officer, async (req, res) => {
    const at = now();
    const { range, error } = readOutcomeRange(req.query as Record<string, unknown>, at);
    const data = await deliveryOutcomes(db, range.start, range.end, at);
    res.status(error ? 400 : 200).type('html').send(
      kit.page(req, {
        title: tb(i18n, 'outcomes.title'),
        active: 'delivery-outcomes',
        flash: error ? { kind: 'error', text: tb(i18n, `errors.${error}`) } : undefined,
        body: outcomesPage(data, range, i18n),
        scripts: ASSETS,
      }),
    );
  });

  return router;
}
