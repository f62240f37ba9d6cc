/**
 * The inbox's reads: the queue of conversations handed to officials, one conversation's history, and
 * the messages that arrived since the page was drawn. Writes (claim, reply, release) are in
 * `actions.ts`, each in one transaction with its audit entry.
 */
import { and, asc, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { readContext, type Channel, type HandoffReason } from '../../conversation';

const { conversations, messages, channelContacts, officials } = tables;

/** Rows shown per queue section: an inbox longer than this is an emergency, not a list to scroll. */
const QUEUE_LIMIT = 200;
/** History shown on the conversation page (the newest ones). */
const HISTORY_LIMIT = 300;

export type ConversationStatus = 'bot' | 'waiting_human' | 'human';

export interface InboxConversation {
  id: string;
  channel: Channel;
  channelUserId: string;
  status: ConversationStatus;
  reason: HandoffReason;
  handoffRequestedAt: Date | null;
  assignedOfficialId: string | null;
  assignedOfficialName: string | null;
  claimedAt: Date | null;
  firstHumanReplyAt: Date | null;
  lastMessageAt: Date;
  contactName: string | null;
  contactPhone: string | null;
}

export interface QueueRow extends InboxConversation {
  lastMessage: { text: string | null; payload: string | null; direction: 'in' | 'out'; at: Date } | null;
}

export interface InboxMessage {
  id: number;
  direction: 'in' | 'out';
  author: 'bot' | 'official';
  officialName: string | null;
  text: string | null;
  payload: string | null;
  intent: string | null;
  score: number | null;
  procedure: string | null;
  createdAt: Date;
}

export interface Queue {
  waiting: QueueRow[];
  mine: QueueRow[];
  others: QueueRow[];
}

const conversationColumns = {
  id: conversations.id,
  channel: conversations.channel,
  channelUserId: conversations.channelUserId,
  status: conversations.status,
  context: conversations.context,
  handoffRequestedAt: conversations.handoffRequestedAt,
  assignedOfficialId: conversations.assignedOfficialId,
  assignedOfficialName: officials.name,
  claimedAt: conversations.claimedAt,
  firstHumanReplyAt: conversations.firstHumanReplyAt,
  lastMessageAt: conversations.lastMessageAt,
  contactName: channelContacts.displayName,
  contactPhone: channelContacts.phone,
};

type ConversationRow = Awaited<ReturnType<typeof selectConversations>>[number];

function toConversation(row: ConversationRow): InboxConversation {
  const { context, ...rest } = row;
  // Conversations handed over before reasons were recorded were all explicit requests.
  return { ...rest, channel: row.channel as Channel, reason: readContext(context).handoffReason ?? 'request' };
}

function selectConversations(db: Db) {
  return db
    .select(conversationColumns)
    .from(conversations)
    .leftJoin(
      channelContacts,
      and(eq(channelContacts.channel, conversations.channel), eq(channelContacts.channelUserId, conversations.channelUserId)),
    )
    .leftJoin(officials, eq(officials.id, conversations.assignedOfficialId));
}

/**
 * The person's last message in each conversation of `ids` (one query for the whole queue): what
 * they want matters to an official choosing whom to help, not the bot's hand-over notice.
 */
async function lastMessages(db: Db, ids: string[]): Promise<Map<string, QueueRow['lastMessage']>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectDistinctOn([messages.conversationId], {
      conversationId: messages.conversationId,
      text: messages.text,
      payload: messages.payload,
      direction: messages.direction,
      at: messages.createdAt,
    })
    .from(messages)
    .where(and(inArray(messages.conversationId, ids), eq(messages.direction, 'in')))
    .orderBy(messages.conversationId, desc(messages.id));
  return new Map(rows.map((r) => [r.conversationId, { text: r.text, payload: r.payload, direction: r.direction, at: r.at }]));
}

/**
 * The three sections of the inbox: waiting for anyone (oldest request first: first come, first
 * served), held by `officialId`, and held by other officials. A conversation an official claimed
 * and left unassigned (status human, no official) counts as waiting: it can be claimed again.
 */
export async function loadQueue(db: Db, officialId: string): Promise<Queue> {
  const waitingWhere = or(
    eq(conversations.status, 'waiting_human'),
    and(eq(conversations.status, 'human'), isNull(conversations.assignedOfficialId)),
  );
  const [waiting, mine, others] = await Promise.all([
    selectConversations(db)
      .where(waitingWhere)
      .orderBy(asc(sql`coalesce(${conversations.handoffRequestedAt}, ${conversations.lastMessageAt})`))
      .limit(QUEUE_LIMIT),
    selectConversations(db)
      .where(and(eq(conversations.status, 'human'), eq(conversations.assignedOfficialId, officialId)))
      .orderBy(desc(conversations.lastMessageAt))
      .limit(QUEUE_LIMIT),
    selectConversations(db)
      .where(and(eq(conversations.status, 'human'), ne(conversations.assignedOfficialId, officialId)))
      .orderBy(desc(conversations.lastMessageAt))
      .limit(QUEUE_LIMIT),
  ]);
  const last = await lastMessages(
    db,
    [...waiting, ...mine, ...others].map((c) => c.id),
  );
  const section = (rows: ConversationRow[]): QueueRow[] =>
    rows.map((r) => ({ ...toConversation(r), lastMessage: last.get(r.id) ?? null }));
  return { waiting: section(waiting), mine: section(mine), others: section(others) };
}

/** One conversation with who holds it and what we know of the person; undefined when unknown. */
export async function loadConversation(db: Db, id: string): Promise<InboxConversation | undefined> {
  const [row] = await selectConversations(db).where(eq(conversations.id, id));
  return row ? toConversation(row) : undefined;
}

/** Messages of the conversation with an id above `afterId` (all when 0), oldest first, at most the newest HISTORY_LIMIT. */
export async function loadMessages(db: Db, conversationId: string, afterId = 0): Promise<InboxMessage[]> {
  const rows = await db
    .select({
      id: messages.id,
      direction: messages.direction,
      author: messages.author,
      officialName: officials.name,
      text: messages.text,
      payload: messages.payload,
      intent: messages.intent,
      score: messages.score,
      procedure: messages.procedure,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .leftJoin(officials, eq(officials.id, messages.officialId))
    .where(and(eq(messages.conversationId, conversationId), gt(messages.id, afterId)))
    .orderBy(desc(messages.id))
    .limit(HISTORY_LIMIT);
  return rows.reverse();
}

/** A UUID as PostgreSQL accepts it: anything else is "not found", never a database error. */
export function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
