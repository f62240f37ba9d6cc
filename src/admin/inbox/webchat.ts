/**
 * The web chat's side of the hand-over. Zalo and Messenger get an official's reply pushed through the
 * outbox; the web chat cannot be pushed to (its answers travel in the HTTP response of the person's
 * own message), so the chat page fetches officials' replies:
 * `GET /api/webchat/messages?sessionId=…&after=<messageId>` -> `{replies: Reply[], lastId, waiting, label}`.
 * - `replies`: official messages of that session's conversation with an id above `after`, oldest first;
 * - `lastId`: the id to pass as `after` next time (unchanged when nothing is new);
 * - `waiting`: the conversation is handed to officials (waiting or held), so the page keeps polling;
 * - `label`: how the page names the author of these replies.
 * The session id is the page's random secret, exactly as for `POST /api/webchat/messages`.
 */
import { Router } from 'express';
import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import { tables, type Db } from '../../db';
import type { Reply } from '../../conversation';
import type { Translator } from '../../i18n';

const { conversations, messages } = tables;

/** Replies returned per request; a page that is further behind gets the rest on its next poll. */
const MAX_REPLIES = 50;

/** The same session ids `POST /api/webchat/messages` accepts. */
const querySchema = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'sessionId must be 8–100 letters, digits, - or _'),
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
});

export interface OfficialReplies {
  replies: Reply[];
  lastId: number;
  waiting: boolean;
}

/** Officials' replies in the web chat session `sessionId` after message `after`. */
export async function officialRepliesFor(db: Db, sessionId: string, after: number): Promise<OfficialReplies> {
  const [conversation] = await db
    .select({ id: conversations.id, status: conversations.status })
    .from(conversations)
    .where(and(eq(conversations.channel, 'webchat'), eq(conversations.channelUserId, sessionId)));
  if (!conversation) return { replies: [], lastId: after, waiting: false };
  const rows = await db
    .select({ id: messages.id, text: messages.text })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversation.id),
        eq(messages.direction, 'out'),
        eq(messages.author, 'official'),
        gt(messages.id, after),
      ),
    )
    .orderBy(asc(messages.id))
    .limit(MAX_REPLIES);
  return {
    replies: rows.filter((r) => r.text).map((r) => ({ text: r.text as string })),
    lastId: rows.length ? rows[rows.length - 1]!.id : after,
    waiting: conversation.status !== 'bot',
  };
}

/** Mount at the app root next to the web chat router (it needs no JSON body parser: it is a GET). */
export function webchatOfficialRepliesRouter(deps: { db: Db; i18n: Translator }): Router {
  const router = Router();
  const label = deps.i18n.t('admin-inbox.webchat.officialLabel');
  router.get('/api/webchat/messages', async (req, res) => {
    const { sessionId, after } = querySchema.parse(req.query);
    const result = await officialRepliesFor(deps.db, sessionId, after);
    res.set('Cache-Control', 'no-store').json({ ...result, label });
  });
  return router;
}
