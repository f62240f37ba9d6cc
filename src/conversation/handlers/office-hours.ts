/** Opening hours: of the office handling the procedure in context, otherwise of the main office. */
import { officeLines } from '../render/office';
import type { Turn } from '../turn';
import type { Reply } from '../types';

export async function answerOfficeHours(turn: Turn, procedureSlug: string | undefined): Promise<Reply[]> {
  const { procedures, i18n } = turn.deps;
  const p = procedureSlug ? await procedures.get(procedureSlug) : undefined;
  const office = (p && (await procedures.getOffice(p.where.officeSlug))) ?? (await procedures.mainOffice());
  if (!office) return [{ text: i18n.t('office.none') }];
  return [{ text: [i18n.t('office.answerIntro', { name: office.name }), ...officeLines(office, i18n).slice(1)].join('\n') }];
}
