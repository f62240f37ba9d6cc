/**
 * The officials' inbox (`/admin/inbox`, role officer): the queue of conversations handed to a
 * human, each conversation's page with its history, and the claim / reply / hand-back actions.
 * Successful posts redirect (303) to a page that says what happened; refused ones re-render the
 * page with the reason (409) and invalid replies with the text kept (400).
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { html } from '../html';
import type { AdminKit, Official } from '../kit';
import { claimConversation, releaseConversation, replyToConversation } from './actions';
import { conversationPage, holderState } from './conversation-page';
import { queuePage } from './queue-page';
import { isUuid, loadConversation, loadMessages, loadQueue } from './store';
import { channelLabel, personLabel, toMessageView } from './views';

export interface InboxDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  logger: Logger;
  /** Called after a reply was queued in the outbox, to wake the outbox worker. */
  onOutbound?: () => void;
  /** The clock for waiting times (tests fix it). */
  clock?: () => Date;
}

const PUBLIC_DIR = path.join(__dirname, 'public');
/** The longest reply the channels take in one message (Zalo CS and Messenger: 2,000 characters). */
export const MAX_REPLY_CHARS = 2000;

/** Flash messages after a redirect, by a fixed key (never text from the query string). */
const DONE = ['claimed', 'replied', 'repliedWebchat', 'released'] as const;

export function inboxRouter(deps: InboxDeps): Router {
  const { db, kit, i18n, logger } = deps;
  const now = () => deps.clock?.() ?? new Date();
  const t = (key: string) => i18n.t(`admin-inbox.${key}`);
  const router = Router();
  const officer = kit.requireRole('officer');
  const form = express.urlencoded({ extended: false, limit: '32kb' });
  const replySchema = z.object({
    text: z.string().trim().min(1, t('errors.replyEmpty')).max(MAX_REPLY_CHARS, t('errors.replyTooLong')),
    nonce: z.uuid(t('errors.formExpired')),
  });

  router.use('/admin/assets/inbox', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));

  const signedIn = (req: Request): Official => {
    if (!req.official) throw new Error('inbox route reached without a signed-in official');
    return req.official;
  };

  const doneFlash = (req: Request) => {
    const done = DONE.find((d) => d === req.query.done);
    return done ? { kind: 'success' as const, text: t(`flash.${done}`) } : undefined;
  };

  async function renderConversation(
    req: Request,
    res: Response,
    status: number,
    id: string,
    extra: { error?: string; reply?: { text: string; error?: string }; nonce?: string } = {},
  ): Promise<void> {
    const conversation = isUuid(id) ? await loadConversation(db, id) : undefined;
    if (!conversation) {
      res.status(404).type('html').send(
        kit.page(req, {
          title: t('title'),
          active: 'inbox',
          flash: { kind: 'error', text: t('errors.notFound') },
          body: html`<p><a href="/admin/inbox">${t('conversation.back')}</a></p>`,
        }),
      );
      return;
    }
    const messages = (await loadMessages(db, id)).map((m) => toMessageView(m, i18n));
    const body = conversationPage(
      { conversation, messages, official: signedIn(req), csrfField: kit.csrfField(req), nonce: extra.nonce ?? randomUUID(), reply: extra.reply },
      i18n,
    );
    res.status(status).type('html').send(
      kit.page(req, {
        title: i18n.t('admin-inbox.conversation.title', { channel: channelLabel(conversation, i18n), person: personLabel(conversation, i18n) }),
        active: 'inbox',
        flash: extra.error ? { kind: 'error', text: extra.error } : doneFlash(req),
        body,
        scripts: ['/admin/assets/inbox/inbox.js'],
      }),
    );
  }

  router.get('/admin/inbox', officer, async (req, res) => {
    const queue = await loadQueue(db, signedIn(req).id);
    res.type('html').send(kit.page(req, { title: t('title'), active: 'inbox', flash: doneFlash(req), body: queuePage(queue, i18n, now()) }));
  });

  router.get('/admin/inbox/:id', officer, async (req, res) => {
    await renderConversation(req, res, 200, req.params.id as string);
  });

  router.get('/admin/inbox/:id/messages.json', officer, async (req, res) => {
    const id = req.params.id as string;
    const conversation = isUuid(id) ? await loadConversation(db, id) : undefined;
    res.set('Cache-Control', 'no-store');
    if (!conversation) {
      res.status(404).json({ error: t('errors.notFound') });
      return;
    }
    const after = z.coerce.number().int().min(0).catch(0).parse(req.query.after);
    const messages = (await loadMessages(db, id, after)).map((m) => toMessageView(m, i18n));
    const lastId = messages.length ? messages[messages.length - 1]!.id : after;
    res.json({ messages, lastId, state: holderState(conversation) });
  });

  router.post('/admin/inbox/:id/claim', officer, form, async (req, res) => {
    const id = req.params.id as string;
    const official = signedIn(req);
    const result = isUuid(id) ? await claimConversation(db, kit, id, official) : ({ ok: false, reason: 'not_found' } as const);
    if (result.ok) {
      logger.info({ conversationId: id, officialId: official.id }, 'conversation claimed');
      res.redirect(303, `/admin/inbox/${id}?done=claimed`);
      return;
    }
    const error = result.reason === 'taken' ? t('errors.taken') : t('errors.notWaiting');
    await renderConversation(req, res, 409, id, { error });
  });

  router.post('/admin/inbox/:id/reply', officer, form, async (req, res) => {
    const id = req.params.id as string;
    const official = signedIn(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const parsed = replySchema.safeParse(body);
    if (!parsed.success) {
      const text = typeof body.text === 'string' ? body.text : '';
      const nonce = typeof body.nonce === 'string' && isUuid(body.nonce) ? body.nonce : undefined;
      await renderConversation(req, res, 400, id, { reply: { text, error: parsed.error.issues[0]?.message }, nonce });
      return;
    }
    const { text, nonce } = parsed.data;
    const result = isUuid(id)
      ? await replyToConversation(db, kit, id, official, text, nonce)
      : ({ ok: false, reason: 'not_found' } as const);
    if (!result.ok) {
      await renderConversation(req, res, 409, id, { error: t('errors.notHolder'), reply: { text }, nonce });
      return;
    }
    if (result.queued) deps.onOutbound?.();
    if (!result.duplicate) logger.info({ conversationId: id, officialId: official.id, messageId: result.messageId }, 'official replied');
    res.redirect(303, `/admin/inbox/${id}?done=${result.channel === 'webchat' ? 'repliedWebchat' : 'replied'}`);
  });

  router.post('/admin/inbox/:id/release', officer, form, async (req, res) => {
    const id = req.params.id as string;
    const official = signedIn(req);
    const result = isUuid(id) ? await releaseConversation(db, kit, id, official) : ({ ok: false, reason: 'not_found' } as const);
    if (result.ok) {
      logger.info({ conversationId: id, officialId: official.id }, 'conversation handed back to the bot');
      res.redirect(303, '/admin/inbox?done=released');
      return;
    }
    const error = result.reason === 'not_handed_over' ? t('errors.notHandedOver') : t('errors.notHolder');
    await renderConversation(req, res, 409, id, { error });
  });

  return router;
}
