/**
 * The portal's web chat: the `/chat` page and `POST /api/webchat/messages` (DESIGN.md §4.2).
 * Unlike Zalo and Messenger, the web chat answers in the HTTP response itself, so a person sees the
 * reply as soon as it is ready; the message and replies are still stored like any other channel's.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { z } from 'zod';
import type { Conversation } from '../../conversation';
import type { Translator } from '../../i18n';
import { KeyedMutex } from '../../http/keyed-mutex';

const PUBLIC_DIR = path.join(__dirname, 'public');

export const webchatMessageSchema = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'sessionId must be 8–100 letters, digits, - or _'),
    text: z.string().max(2000, 'text is limited to 2,000 characters').optional(),
    payload: z.string().min(1).max(1000).optional(),
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

export function webchatRouter(deps: { conversation: Conversation; i18n: Translator }): Router {
  const router = Router();
  // One message at a time per session: the context of one answer is the input of the next.
  const perSession = new KeyedMutex();
  const page = renderChatPage(deps.i18n);

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

  router.post('/api/webchat/messages', async (req, res) => {
    const body = webchatMessageSchema.parse(req.body);
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
