/**
 * Quick-reply and button payloads. They carry everything needed to answer (e.g. the procedure slug),
 * so tapping an old button still does the right thing after the context has expired.
 */
import { ASPECTS, type Aspect } from './context';

export type Payload =
  | { kind: 'get_started' }
  | { kind: 'procedure'; slug: string; aspect?: Aspect }
  | { kind: 'rate'; rating: number }
  | { kind: 'skip_comment' }
  | { kind: 'handoff' }
  | { kind: 'menu'; item: 'procedures' | 'hours' | 'rate' };

export const GET_STARTED = 'GET_STARTED';
export const HANDOFF = 'HANDOFF';
export const SKIP_COMMENT = 'FEEDBACK_SKIP';

export const procedurePayload = (slug: string, aspect?: Aspect) => `PROC:${slug}${aspect ? `:${aspect}` : ''}`;
export const ratePayload = (n: number) => `RATE:${n}`;
export const menuPayload = (item: 'procedures' | 'hours' | 'rate') => `MENU:${item}`;

/** Reads a payload; anything we did not issue gives undefined and is treated like typed text. */
export function readPayload(raw: string): Payload | undefined {
  if (raw === GET_STARTED) return { kind: 'get_started' };
  if (raw === HANDOFF) return { kind: 'handoff' };
  if (raw === SKIP_COMMENT) return { kind: 'skip_comment' };
  const [head, a, b] = raw.split(':');
  if (head === 'PROC' && a && /^[a-z0-9-]+$/.test(a)) {
    if (b === undefined) return { kind: 'procedure', slug: a };
    if ((ASPECTS as readonly string[]).includes(b)) return { kind: 'procedure', slug: a, aspect: b as Aspect };
  }
  if (head === 'RATE' && a && /^[1-5]$/.test(a)) return { kind: 'rate', rating: Number(a) };
  if (head === 'MENU' && (a === 'procedures' || a === 'hours' || a === 'rate')) return { kind: 'menu', item: a };
  return undefined;
}
