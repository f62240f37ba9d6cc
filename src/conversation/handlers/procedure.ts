/** Answers about procedures: one aspect, an overview, the list, or a question back when unsure which. */
import { searchProcedures, type StoredProcedure } from '../../procedures';
import type { Aspect } from '../context';
import { procedurePayload } from '../payloads';
import { renderAspect, renderOverview } from '../render/procedure';
import type { Turn } from '../turn';
import type { Reply } from '../types';

/** How many procedures a clarifying question offers. */
const MAX_CANDIDATES = 4;

async function activeProcedure(turn: Turn, slug: string): Promise<StoredProcedure | undefined> {
  const p = await turn.deps.procedures.get(slug);
  return p && p.status === 'active' ? p : undefined;
}

/** The answer to `aspect` of `slug` (or an overview when no aspect), remembering both for follow-ups. */
export async function answerProcedure(turn: Turn, slug: string, aspect: Aspect | undefined): Promise<Reply[]> {
  const { i18n } = turn.deps;
  const p = await activeProcedure(turn, slug);
  if (!p) return [{ text: i18n.t('procedure.notAvailable') }];
  turn.context.procedure = p.slug;
  turn.context.awaiting = undefined;
  turn.understood.procedure = p.slug;
  if (!aspect) return [renderOverview(p, i18n)];
  turn.context.aspect = aspect;
  const office = aspect === 'where' ? await turn.deps.procedures.getOffice(p.where.officeSlug) : undefined;
  return [renderAspect(p, aspect, office, i18n)];
}

/**
 * The person asked about an aspect but named no procedure we recognise and none is in context:
 * offer the closest procedures (NLU candidates first, then a keyword search) as quick replies.
 */
export async function askWhichProcedure(turn: Turn, text: string, aspect: Aspect | undefined, candidates: string[]): Promise<Reply[]> {
  const { i18n, procedures } = turn.deps;
  const active = await procedures.listActive();
  const bySlug = new Map(active.map((p) => [p.slug, p]));
  const chosen: StoredProcedure[] = candidates.map((s) => bySlug.get(s)).filter((p): p is StoredProcedure => Boolean(p));
  for (const p of searchProcedures(text, active, MAX_CANDIDATES)) if (!chosen.includes(p)) chosen.push(p);
  turn.context.awaiting = 'procedure';
  turn.context.aspect = aspect;
  const options = chosen.slice(0, MAX_CANDIDATES);
  const quickReplies = options.map((p) => ({ title: shortTitle(p.name), payload: procedurePayload(p.slug, aspect) }));
  quickReplies.push({ title: i18n.t('menu.procedures'), payload: 'MENU:procedures' });
  return [{ text: i18n.t('procedure.askWhich'), quickReplies }];
}

/** Chat chips are narrow: keep titles short without cutting words in half. */
export function shortTitle(name: string, max = 40): string {
  if (name.length <= max) return name;
  const cut = name.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : max)}…`;
}

/** Every active procedure, grouped by field. */
export async function listProcedures(turn: Turn): Promise<Reply[]> {
  const { i18n, procedures } = turn.deps;
  const byField = new Map<string, StoredProcedure[]>();
  for (const p of await procedures.listActive()) byField.set(p.field, [...(byField.get(p.field) ?? []), p]);
  const lines = [i18n.t('procedure.listIntro')];
  for (const [field, list] of [...byField.entries()].sort((a, b) => a[0].localeCompare(b[0], 'vi'))) {
    lines.push(i18n.t('procedure.listField', { field }));
    for (const p of list) lines.push(i18n.t('procedure.listLine', { name: p.name }));
  }
  lines.push(i18n.t('procedure.listOutro'));
  return [{ text: lines.join('\n') }];
}
