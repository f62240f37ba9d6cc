/**
 * Adds a citizen's wording as another name (alias) of a procedure, so the procedure matcher
 * recognises it from now on. The change goes through the knowledge base's repository (which
 * validates the content) and is audited in the same transaction: no alias without its audit row.
 */
import { eq } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { foldVietnamese } from '../../nlu';
import { ProcedureRepository } from '../../procedures';
import type { AdminKit } from '../kit';
import { cleanUtterance } from './training';

export type AliasResult =
  | { status: 'added'; slug: string; before: string[]; after: string[] }
  | { status: 'present'; slug: string }
  | { status: 'unknownProcedure' };

/**
 * Adds `text` to the aliases of procedure `slug`. `present` when the procedure's name or one of its
 * aliases already reads the same once folded (the matcher folds too, so a second spelling adds nothing).
 */
export async function addProcedureAlias(
  db: Db,
  kit: Pick<AdminKit, 'audit'>,
  officialId: string | null,
  slug: string,
  text: string,
): Promise<AliasResult> {
  const alias = cleanUtterance(text);
  return db.transaction(async (tx) => {
    // Lock the row: two officials adding aliases at once must both be kept.
    const locked = await tx
      .select({ slug: tables.procedures.slug })
      .from(tables.procedures)
      .where(eq(tables.procedures.slug, slug))
      .for('update');
    if (locked.length === 0) return { status: 'unknownProcedure' } as const;
    const repo = new ProcedureRepository(tx);
    const stored = await repo.get(slug);
    if (!stored) return { status: 'unknownProcedure' } as const;
    const { updatedAt: _updatedAt, ...procedure } = stored;
    const key = foldVietnamese(alias);
    if ([procedure.name, ...procedure.aliases].some((a) => foldVietnamese(a) === key)) return { status: 'present', slug } as const;

    const before = procedure.aliases;
    const after = [...before, alias];
    await repo.upsert({ procedures: [{ ...procedure, aliases: after }], offices: [] });
    await kit.audit(tx, { officialId, action: 'procedure.alias.add', entity: 'procedure', entityId: slug, before: { aliases: before }, after: { aliases: after } });
    return { status: 'added', slug, before, after } as const;
  });
}
