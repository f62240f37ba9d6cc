/**
 * The NLU's view of a procedure: its names for recognising it, and the words of its content
 * (documents, fees, steps, …), which are words of our domain — "tờ khai", "ảnh 3x4", "cổng dịch vụ
 * công" are in scope even when no training question happens to use them (see nlu/scope-gate).
 */
import type { ProcedureRef } from '../nlu/types';
import type { Procedure } from './model';

/** Everything officials wrote about `p` that a citizen may quote back in a question. */
function contentTexts(p: Procedure): string[] {
  return [
    p.field,
    p.agency,
    ...p.documents.flatMap((d) => [d.name, d.note ?? '']),
    p.fee.text ?? '',
    ...p.fee.exemptions,
    p.processingTime.text,
    ...p.steps,
    p.where.note ?? '',
    p.onlineService.note ?? '',
  ].filter((t) => t !== '');
}

/** The {@link ProcedureRef} of a knowledge-base procedure. */
export function toProcedureRef(p: Procedure): ProcedureRef {
  return { slug: p.slug, name: p.name, aliases: [...p.aliases], content: contentTexts(p) };
}
