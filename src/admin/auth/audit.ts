/**
 * The audit log: who changed what, when, with the state before and after. Values are copied as
 * JSON, and any field whose name mentions a password, secret or token is replaced, so a careless
 * caller cannot leak a hash or a credential into the log.
 */
import { count, desc, eq, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { AuditEntry } from '../kit';

const { auditLog, officials } = tables;

const SECRET_KEY = /password|secret|token/i;
export const REDACTED = '[redacted]';

/** A JSON copy of `value` with secret-looking fields replaced. */
export function redactSecrets(value: unknown): unknown {
  if (value === undefined) return null;
  const json: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEY.test(k) ? REDACTED : walk(x)]));
    }
    return v;
  };
  return walk(json);
}

/** Inserts one audit row; pass a transaction as `db` to record the change atomically with it. */
export async function writeAudit(db: Db, entry: AuditEntry, at: Date = new Date()): Promise<void> {
  await db.insert(auditLog).values({
    officialId: entry.officialId,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId ?? null,
    before: redactSecrets(entry.before),
    after: redactSecrets(entry.after),
    at,
  });
}

export interface AuditRow {
  id: number;
  at: Date;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  officialId: string | null;
  officialName: string | null;
  officialEmail: string | null;
}

/** One page of the log, newest first, optionally for one entity type. */
export async function listAudit(
  db: Db,
  opts: { entity?: string; page: number; pageSize: number },
): Promise<{ rows: AuditRow[]; total: number }> {
  const where: SQL | undefined = opts.entity ? eq(auditLog.entity, opts.entity) : undefined;
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      entity: auditLog.entity,
      entityId: auditLog.entityId,
      before: auditLog.before,
      after: auditLog.after,
      officialId: auditLog.officialId,
      officialName: officials.name,
      officialEmail: officials.email,
    })
    .from(auditLog)
    .leftJoin(officials, eq(officials.id, auditLog.officialId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(opts.pageSize)
    .offset((opts.page - 1) * opts.pageSize);
  const [total] = await db.select({ n: count() }).from(auditLog).where(where);
  return { rows, total: total?.n ?? 0 };
}

/** The entity types present in the log, for the filter. */
export async function auditEntities(db: Db): Promise<string[]> {
  const rows = await db.selectDistinct({ entity: auditLog.entity }).from(auditLog).orderBy(auditLog.entity);
  return rows.map((r) => r.entity);
}
