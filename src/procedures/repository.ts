/**
 * Reads and writes the knowledge base. Content is validated on the way in and on the way out, so a
 * hand-edited row that no longer fits the schema is reported instead of producing a broken answer.
 */
import { asc, desc, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { tables } from '../db';
import {
  officeSchema,
  procedureSchema,
  type Office,
  type Procedure,
  type StoredProcedure,
} from './model';

const { procedures, offices } = tables;

/** Anything that can run queries: the database or a transaction inside it. */
type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

export class ProcedureRepository {
  constructor(private readonly db: Db) {}

  /** Active procedures, by name. */
  async listActive(): Promise<StoredProcedure[]> {
    const rows = await this.db
      .select()
      .from(procedures)
      .where(eq(procedures.status, 'active'))
      .orderBy(asc(procedures.name));
    return rows.map(toStored);
  }

  /** Every procedure, retired ones included (export, console). */
  async listAll(): Promise<StoredProcedure[]> {
    const rows = await this.db.select().from(procedures).orderBy(asc(procedures.slug));
    return rows.map(toStored);
  }

  /**
   * One procedure by slug. With `forUpdate` (inside a transaction) the row stays locked until the
   * transaction ends, so an editor can check "nobody saved since I opened the form" and write without
   * another save slipping in between.
   */
  async get(slug: string, opts: { forUpdate?: boolean } = {}): Promise<StoredProcedure | undefined> {
    const query = this.db.select().from(procedures).where(eq(procedures.slug, slug));
    const [row] = opts.forUpdate ? await query.for('update') : await query;
    return row ? toStored(row) : undefined;
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(procedures);
    return row?.n ?? 0;
  }

  /** When the knowledge base last changed: lets long-running processes notice edits cheaply. */
  async lastChangedAt(): Promise<Date | null> {
    const [p] = await this.db.select({ at: max(procedures.updatedAt) }).from(procedures);
    const [o] = await this.db.select({ at: max(offices.updatedAt) }).from(offices);
    const times = [p?.at, o?.at].filter((d): d is Date => d instanceof Date);
    return times.length ? new Date(Math.max(...times.map((d) => d.getTime()))) : null;
  }

  async listOffices(): Promise<Office[]> {
    const rows = await this.db.select().from(offices).orderBy(asc(offices.slug));
    return rows.map((r) => officeSchema.parse(r.content));
  }

  async getOffice(slug: string): Promise<Office | undefined> {
    const [row] = await this.db.select().from(offices).where(eq(offices.slug, slug));
    return row ? officeSchema.parse(row.content) : undefined;
  }

  /** The main one-stop office: the one most procedures are filed at. */
  async mainOffice(): Promise<Office | undefined> {
    const [row] = await this.db
      .select({ slug: sql<string>`content->'where'->>'officeSlug'`, n: sql<number>`count(*)::int` })
      .from(procedures)
      .where(eq(procedures.status, 'active'))
      .groupBy(sql`1`)
      .orderBy(desc(sql`2`))
      .limit(1);
    if (row?.slug) return this.getOffice(row.slug);
    return (await this.listOffices())[0];
  }

  /** Inserts or replaces procedures and offices by slug, all in one transaction. */
  async upsert(input: { procedures: Procedure[]; offices: Office[] }): Promise<{ inserted: number; updated: number }> {
    return this.db.transaction(async (tx) => {
      for (const office of input.offices) await upsertOffice(tx, office);
      let inserted = 0;
      let updated = 0;
      for (const p of input.procedures) {
        if (await upsertProcedure(tx, p)) inserted += 1;
        else updated += 1;
      }
      return { inserted, updated };
    });
  }
}

async function upsertOffice(tx: Executor, office: Office): Promise<void> {
  await tx
    .insert(offices)
    .values({ slug: office.slug, name: office.name, content: office, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: offices.slug,
      set: { name: office.name, content: office, updatedAt: new Date() },
    });
}

/** @returns true when the slug was new. */
async function upsertProcedure(tx: Executor, p: Procedure): Promise<boolean> {
  const now = new Date();
  const [row] = await tx
    .insert(procedures)
    .values({ slug: p.slug, name: p.name, status: p.status, isSample: p.isSample, content: p, updatedAt: now })
    .onConflictDoUpdate({
      target: procedures.slug,
      set: { name: p.name, status: p.status, isSample: p.isSample, content: p, updatedAt: now },
    })
    // xmax = 0 only on a freshly inserted row: PostgreSQL's way of telling insert from update.
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return row?.inserted === true;
}

function toStored(row: typeof procedures.$inferSelect): StoredProcedure {
  return { ...procedureSchema.parse(row.content), updatedAt: row.updatedAt };
}
