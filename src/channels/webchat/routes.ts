/**
 * The portal's web chat: the `/chat` page and `POST /api/webchat/messages` (DESIGN.md §4.2).
 * Unlike Zalo and Messenger, the web chat answers in the HTTP response itself, so a person sees the
 * reply as soon as it is ready; the message and replies are still stored like any other channel's.
 * Too many messages from one session or one address: 429 `{error: 'rate_limited', message}` with
 * `Retry-After` (the message is for the person, from locales).
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Conversation } from '../../conversation';
import type { Translator } from '../../i18n';
import { KeyedMutex } from '../../http/keyed-mutex';
import { toStorableText } from '../../storable-text';
import { perAddressLimit, setRetryAfter, SlidingWindowLimiter } from '../../http/rate-limit';

const PUBLIC_DIR = path.join(__dirname, 'public');

export const webchatMessageSchema = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'sessionId must be 8–100 letters, digits, - or _'),
    // Stored like the other channels' texts: NUL dropped, half surrogates replaced (src/storable-text.ts).
    text: z.string().max(2000, 'text is limited to 2,000 characters').transform(toStorableText).optional(),
    payload: z.string().min(1).max(1000).transform(toStorableText).optional(),
  })
  .refine((m) => (m.text !== undefined && m.text.trim() !== '') || m.payload !== undefined, {
    message: 'send text or payload',
  });

/** The chat page with its strings inlined; `<` escaped so text can never close the script tag. */
export function renderChatPage(i18n: Translator, locale: 'vi' | 'en' = 'vi'): string {
  const html = fs.readFileSync(path.join(PUBLIC_DIR, 'chat.html'), 'utf8');
  const strings = JSON.stringify(i18n.section('webchat', locale)).replace(/</g, '\\u003c');
  return html.replace('__CHAT_STRINGS__', () => strings).replace('__LANG__', locale);
}

/**
 * Messages per rolling minute (see src/http/rate-limit.ts: in memory, per process). Per session:
 * one person (or script) typing too fast. Per client address: many sessions from one machine; set
 * generously, since an office kiosk or a mobile carrier's NAT puts many people behind one address.
 */
export interface WebchatLimits {
  perSessionPerMinute: number;
  perAddressPerMinute: number;
  clock?: () => number;
}

export interface WebchatRouterDeps {
  conversation: Conversation;
  i18n: Translator;
  /** Absent: no limits (tests of other components that mount the chat). */
  limits?: WebchatLimits;
}

export function webchatRouter(deps: WebchatRouterDeps): Router {
  const router = Router();
  // One message at a time per session: the context of one answer is the input of the next.
  const perSession = new KeyedMutex();
  const page = renderChatPage(deps.i18n);
  const tooFast = (res: Response, seconds: number) =>
    res.status(429).json({ error: 'rate_limited', message: deps.i18n.t('limits.webchatTooFast', { seconds }) });
  const limits = deps.limits;
  const sessionLimiter = limits && new SlidingWindowLimiter(limits.perSessionPerMinute, 60_000, limits.clock);
  const addressLimit: RequestHandler = limits
    ? perAddressLimit(limits.perAddressPerMinute, (_req, res, seconds) => tooFast(res, seconds), limits.clock)
    : (_req, _res, next) => next();

  router.get('/chat', (_req, res) => {
    res
      .type('html')
      .set({
        'Cache-Control': 'no-cache',
        // Everything the page needs is served by us: a strict policy costs nothing and stops injected scripts.
        'Content-Security-Policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'",
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
      })
      .send(page);
  });
  // The raw page template (with its placeholders) is only ever served through `GET /chat`.
  router.get('/chat/chat.html', (_req, res) => res.redirect(301, '/chat'));
  router.use('/chat', express.static(PUBLIC_DIR, { index: false, maxAge: '1h' }));

  router.post('/api/webchat/messages', addressLimit, async (req, res) => {
    const body = webchatMessageSchema.parse(req.body);
    // Checked before queueing on the session's mutex: a flood must not pile up waiting requests.
    const decision = sessionLimiter?.take(body.sessionId);
    if (decision && !decision.ok) return void tooFast(res, setRetryAfter(res, decision.retryAfterMs));
    const replies = await perSession.run(body.sessionId, () =>
      deps.conversation.handle({
        channel: 'webchat',
        channelUserId: body.sessionId,
        text: body.text,
        payload: body.payload,
        receivedAt: new Date(),
      }),
    );
    res.json({ replies });
  });
  return router;
}
