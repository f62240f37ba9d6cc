/**
 * When the message fits two readings about equally well — two procedures ("chứng thực bản sao giấy
 * khai sinh") or two aspects — ask one short question with both as quick replies instead of
 * guessing; a wrong answer stated with confidence costs a citizen a wasted trip.
 */
import type { Parse } from '../../nlu/types';
import { aspectOfIntent, type Aspect } from '../context';
import { procedurePayload } from '../payloads';
import type { Turn } from '../turn';
import type { Reply } from '../types';
import { inSentence } from '../render/procedure';
import { shortTitle } from './procedure';

/** Two procedures both matched at least this well, within `PROCEDURE_MARGIN` of each other. */
const PROCEDURE_MIN = 0.8;
const PROCEDURE_MARGIN = 0.05;
/** The second-best aspect intent scored at least this, and within `ASPECT_MARGIN` of the best. */
const ASPECT_MIN = 0.35;
const ASPECT_MARGIN = 0.2;

/** The two procedures the message names equally, if it does. */
export function tiedProcedures(parse: Parse): [string, string] | undefined {
  const [first, second] = parse.procedureCandidates ?? [];
  if (!first || !second) return undefined;
  return second.score >= PROCEDURE_MIN && first.score - second.score <= PROCEDURE_MARGIN ? [first.slug, second.slug] : undefined;
}

/** The two aspects the message asks about about equally, if it does. */
export function tiedAspects(parse: Parse): [Aspect, Aspect] | undefined {
  const [first, second] = parse.intents ?? [];
  if (!first || !second) return undefined;
  const a = aspectOfIntent(first.intent);
  const b = aspectOfIntent(second.intent);
  if (!a || !b || a === b) return undefined;
  return second.score >= ASPECT_MIN && first.score - second.score < ASPECT_MARGIN ? [a, b] : undefined;
}

export async function askBetweenProcedures(turn: Turn, slugs: [string, string], aspect: Aspect | undefined): Promise<Reply[] | undefined> {
  const { procedures, i18n } = turn.deps;
  const [a, b] = await Promise.all(slugs.map((s) => procedures.get(s)));
  if (!a || !b || a.status !== 'active' || b.status !== 'active') return undefined;
  turn.context.awaiting = 'procedure';
  turn.context.aspect = aspect;
  return [
    {
      text: i18n.t('clarify.whichOf', { a: inSentence(a.name), b: inSentence(b.name) }),
      quickReplies: [a, b].map((p) => ({ title: shortTitle(p.name), payload: procedurePayload(p.slug, aspect) })),
    },
  ];
}

export function askBetweenAspects(turn: Turn, slug: string, aspects: [Aspect, Aspect]): Reply[] {
  const { i18n } = turn.deps;
  const [a, b] = aspects.map((x) => inSentence(i18n.t(`aspects.${x}`)));
  turn.context.procedure = slug;
  return [
    {
      text: i18n.t('clarify.whichOf', { a: a ?? '', b: b ?? '' }),
      quickReplies: aspects.map((x) => ({ title: i18n.t(`aspects.${x}`), payload: procedurePayload(slug, x) })),
    },
  ];
}
