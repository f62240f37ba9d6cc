/**
 * The session page's form inputs, checked with zod: messages in Vietnamese from the locale, keyed
 * by the field, and the values kept so a refused form is shown again as it was typed.
 */
import { z } from 'zod';
import type { Translator } from '../../i18n';
import type { OutcomeInput } from './session-actions';
import { isIsoDay } from './vn-calendar';

export const MAX_NOTES = 2000;
export const MAX_REASON = 500;

export type FieldErrors = Record<string, string>;

export interface OutcomeFormValues {
  outcome: string;
  notes: string;
  reappraisalOn: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function readOutcomeForm(body: unknown): OutcomeFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  return { outcome: str(b.outcome), notes: str(b.notes), reappraisalOn: str(b.reappraisalOn).trim() };
}

function firstErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message;
  }
  return errors;
}

/** A needs-fixes outcome names the re-appraisal day (today or later); a not-passed one says why. */
export function validateOutcome(
  values: OutcomeFormValues,
  today: string,
  i18n: Translator,
): { ok: true; input: OutcomeInput } | { ok: false; errors: FieldErrors } {
  const t = (k: string) => i18n.t(`admin-appraisal.errors.${k}`);
  const schema = z
    .object({
      outcome: z.enum(['passed', 'needs_fixes', 'failed'], t('outcomeRequired')),
      notes: z.string().trim().max(MAX_NOTES, t('notesTooLong')),
      reappraisalOn: z.string(),
    })
    .superRefine((v, ctx) => {
      if (v.outcome === 'passed') return;
      if (v.notes.length === 0) ctx.addIssue({ code: 'custom', path: ['notes'], message: t(v.outcome === 'needs_fixes' ? 'fixesRequired' : 'reasonRequired') });
      if (v.outcome !== 'needs_fixes') return;
      if (!isIsoDay(v.reappraisalOn)) ctx.addIssue({ code: 'custom', path: ['reappraisalOn'], message: t('reappraisalRequired') });
      else if (v.reappraisalOn < today) ctx.addIssue({ code: 'custom', path: ['reappraisalOn'], message: t('reappraisalPast') });
    });
  const parsed = schema.safeParse(values);
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error) };
  const { outcome, notes, reappraisalOn } = parsed.data;
  return { ok: true, input: { outcome, notes, reappraisalOn: outcome === 'needs_fixes' ? reappraisalOn : null } };
}

export function validateCancelReason(body: unknown, i18n: Translator): { ok: true; reason: string } | { ok: false; reason: string; error: string } {
  const raw = str((body as Record<string, unknown> | undefined)?.reason);
  const t = (k: string) => i18n.t(`admin-appraisal.errors.${k}`);
  const parsed = z.string().trim().min(3, t('cancelReasonRequired')).max(MAX_REASON, t('cancelReasonTooLong')).safeParse(raw);
  return parsed.success ? { ok: true, reason: parsed.data } : { ok: false, reason: raw, error: parsed.error.issues[0]?.message ?? t('cancelReasonRequired') };
}

/** A free slot as the reschedule form posts it: `<start ISO>|<appraiser id>`. */
export function readSlotChoice(body: unknown): { start: Date; appraiserId: string } | undefined {
  const parsed = z
    .string()
    // The exact uuid shape: a looser one lets "------…" through to PostgreSQL, which rejects it (a 500).
    .regex(/^[0-9T:.\-Z+]+\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
    .safeParse((body as Record<string, unknown> | undefined)?.slot);
  if (!parsed.success) return undefined;
  const [iso, appraiserId] = parsed.data.split('|') as [string, string];
  const start = new Date(iso);
  return Number.isNaN(start.getTime()) ? undefined : { start, appraiserId };
}

export const slotValue = (s: { start: Date; appraiserId: string }) => `${s.start.toISOString()}|${s.appraiserId}`;
