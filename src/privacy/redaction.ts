/**
 * How personal data is made anonymous in place, shared by the retention job and by erasing one
 * person. Rows are anonymised rather than deleted wherever a count depends on them (analytics reads
 * `messages`, `conversations` and `feedback`; the delivery summaries read `outbox`), so statistics
 * for past periods stay exactly as they were while nothing in them points to a person any more.
 *
 * Anonymised data is recognisable from the data itself, so every step is idempotent and needs no
 * bookkeeping column (no migration):
 * - a message's text and payload become {@link REDACTED}, its `meta` and platform id NULL;
 * - a chat identity becomes a pseudonym `erased:<uuid>` (never a valid Zalo, Messenger or web chat
 *   id: web chat session ids cannot contain `:`);
 * - an outbox row's `recipient` and `content` become {@link ANONYMISED}.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';

/** What replaces a message's text or payload. Not translated: it is stored data, like the audit log's `[redacted]`. */
export const REDACTED = '[redacted]';

/** What replaces an outbox row's recipient and content (both NOT NULL jsonb). */
export const ANONYMISED = { anonymised: true } as const;

/** The start of every pseudonymous identity we write. */
export const PSEUDONYM_PREFIX = 'erased:';

/** A fresh pseudonym, for erasing one person (one per chat identity, reused across tables). */
export function newPseudonym(): string {
  return `${PSEUDONYM_PREFIX}${randomUUID()}`;
}

/** A fresh pseudonym per row, in SQL (the retention job pseudonymises in bulk). */
export const newPseudonymSql = sql`(${PSEUDONYM_PREFIX} || gen_random_uuid()::text)`;

/** `column` is not a pseudonym yet. */
export const notPseudonym = (column: SQL): SQL => sql`${column} not like ${`${PSEUDONYM_PREFIX}%`}`;

export const anonymisedJson = sql`${JSON.stringify(ANONYMISED)}::jsonb`;

/**
 * A message (alias `m`) still holds something personal. Empty texts stay empty and a NULL payload
 * stays NULL, so analytics' "text the bot read" and "tapped, not typed" tests give the same answers.
 */
export const unredactedMessage = sql`(m.meta is not null or m.platform_message_id is not null
  or (coalesce(m.text, '') <> '' and m.text <> ${REDACTED}) or (m.payload is not null and m.payload <> ${REDACTED}))`;

/** The SET list that redacts a message (alias `m`); intent, score, procedure and times are kept. */
export const redactMessageSet = sql`text = case when coalesce(m.text, '') = '' then m.text else ${REDACTED} end,
  payload = case when m.payload is null then null else ${REDACTED} end, meta = null, platform_message_id = null`;

/** The SET list that empties an outbox row (alias `o`) that was sent or given up; status, purpose, mode and reasons are kept. */
export const scrubOutboxSet = sql`recipient = ${anonymisedJson}, content = ${anonymisedJson}, last_error = null`;

/** Rows of a `db.execute` result (both drivers answer `{rows}`). */
export function resultRows<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
