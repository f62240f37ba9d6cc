/**
 * Resolves the `Loại` cell to a knowledge-base procedure: its slug, its name or one of its aliases,
 * typed with or without diacritics ("attp", "Giấy chứng nhận ATTP", "buon-ban-thuoc-bvtv"); failing
 * that, the NLU's procedure matcher when it names one procedure clearly ("GCN đủ điều kiện an toàn
 * thực phẩm"). A cell that could be two procedures is not guessed.
 */
import { ProcedureMatcher, foldVietnamese } from '../../nlu';
import { toProcedureRef, type StoredProcedure } from '../../procedures';

/** The matcher's score a name must reach, and its lead over the runner-up, to be taken. */
const MIN_SCORE = 0.8;
const MIN_LEAD = 0.15;

const compact = (text: string): string => foldVietnamese(text).replace(/[^a-z0-9]/g, '');

export class ProcedureResolver {
  private readonly exact = new Map<string, string>();
  private readonly matcher: ProcedureMatcher;

  constructor(procedures: readonly StoredProcedure[]) {
    for (const p of procedures) {
      for (const name of [p.slug, p.name, ...p.aliases]) {
        const key = compact(name);
        // First come first served: an alias two procedures share is ambiguous, their slugs are not.
        if (key && !this.exact.has(key)) this.exact.set(key, p.slug);
      }
    }
    this.matcher = new ProcedureMatcher(procedures.map(toProcedureRef));
  }

  /** The slug `typed` names, or undefined. */
  resolve(typed: string): string | undefined {
    const key = compact(typed);
    if (!key) return undefined;
    const exact = this.exact.get(key);
    if (exact) return exact;
    const [best, second] = this.matcher.match(typed).candidates;
    if (!best || best.score < MIN_SCORE) return undefined;
    if (second && best.score - second.score < MIN_LEAD) return undefined;
    return best.slug;
  }
}
