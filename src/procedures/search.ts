/**
 * Keyword search over the knowledge base, for when the NLU found no procedure: the closest
 * candidates are offered as quick replies instead of a guess.
 */
import { foldVietnamese } from '../nlu';
import type { Procedure } from './model';

/** Words too common in questions to say anything about which procedure is meant. */
const STOPWORDS = new Set(
  'thu tuc giay to can gi lam the nao bao nhieu o dau cho toi em anh chi hoi a nhe voi la co khong ko duoc va cua ve mot cac nhung nay do xin dang ky'.split(' '),
);

function words(text: string): string[] {
  return foldVietnamese(text)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/**
 * Procedures ranked by how many of the query's meaningful words appear in their name, aliases or
 * field; at most `limit`, only those sharing at least one word.
 */
export function searchProcedures<P extends Procedure>(query: string, list: P[], limit = 4): P[] {
  const q = new Set(words(query));
  if (q.size === 0) return [];
  return list
    .map((p) => {
      const name = new Set(words(p.name));
      const other = new Set(words([...p.aliases, p.field].join(' ')));
      let score = 0;
      for (const w of q) score += name.has(w) ? 2 : other.has(w) ? 1 : 0;
      return { p, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score || a.p.name.localeCompare(b.p.name, 'vi'))
    .slice(0, limit)
    .map((x) => x.p);
}
