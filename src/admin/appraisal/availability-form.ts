/**
 * The availability forms, checked with zod: an appraiser (name, contact, linked account, procedures,
 * working hours per weekday, daily capacity, active) and a day off (a public holiday when no
 * appraiser is chosen). Errors are Vietnamese and keyed by the input's name.
 */
import { z } from 'zod';
import type { Translator } from '../../i18n';
import { normalizePhone } from '../../nlu';
import { isUuid } from './deps';
import type { FieldErrors } from './session-forms';
import { isIsoDay } from './vn-calendar';
import { linesToHours, parseDayLine, WEEKDAYS, type WorkingHoursEntry } from './working-hours';

export const MAX_CAPACITY = 20;

export interface AppraiserFormValues {
  name: string;
  phone: string;
  officialId: string;
  procedures: string[];
  dailyCapacity: string;
  active: boolean;
  /** Weekday (1 = Monday) -> typed ranges. */
  hours: Record<number, string>;
}

export interface AppraiserRecord {
  name: string;
  phone: string | null;
  officialId: string | null;
  procedures: string[];
  dailyCapacity: number;
  active: boolean;
  workingHours: WorkingHoursEntry[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');

export function readAppraiserForm(body: unknown): AppraiserFormValues {
  const b = (body ?? {}) as Record<string, unknown>;
  const hours: Record<number, string> = {};
  for (const day of WEEKDAYS) hours[day] = str(b[`hours_${day}`]).trim();
  return {
    name: str(b.name).trim(),
    phone: str(b.phone).trim(),
    officialId: str(b.officialId),
    procedures: list(b.procedures),
    dailyCapacity: str(b.dailyCapacity).trim(),
    active: b.active === 'on',
    hours,
  };
}

/**
 * Checks the form against the known procedures and appraiser accounts; returns the record to store
 * or the errors by field (`hours_<day>` for a weekday's line).
 */
export function validateAppraiserForm(
  v: AppraiserFormValues,
  ctx: { procedures: string[]; officialIds: string[]; takenOfficialIds: string[]; i18n: Translator },
): { ok: true; record: AppraiserRecord } | { ok: false; errors: FieldErrors } {
  const t = (k: string, p?: Record<string, string>) => ctx.i18n.t(`admin-appraisal.errors.${k}`, p);
  const errors: FieldErrors = {};
  const base = z
    .object({
      name: z.string().min(2, t('nameRequired')).max(120, t('nameTooLong')),
      phone: z.string().refine((p) => p === '' || normalizePhone(p) !== null, t('phoneInvalid')),
      officialId: z
        .string()
        .refine((id) => id === '' || (isUuid(id) && ctx.officialIds.includes(id)), t('officialUnknown'))
        // One account, one appraiser: the calendar opens on "my" sessions by this link.
        .refine((id) => !ctx.takenOfficialIds.includes(id), t('officialTaken')),
      procedures: z.array(z.string()).min(1, t('proceduresRequired')).refine((ps) => ps.every((p) => ctx.procedures.includes(p)), t('proceduresRequired')),
      dailyCapacity: z.coerce.number(t('capacityInvalid')).int(t('capacityInvalid')).min(1, t('capacityInvalid')).max(MAX_CAPACITY, t('capacityInvalid')),
    })
    .safeParse(v);
  if (!base.success) for (const issue of base.error.issues) errors[String(issue.path[0])] ??= issue.message;

  const weekdays = ctx.i18n.list('admin-appraisal.weekdays');
  const byDay: Record<number, { start: string; end: string }[]> = {};
  for (const day of WEEKDAYS) {
    const parsed = parseDayLine(v.hours[day] ?? '');
    if (parsed.ok) byDay[day] = parsed.ranges;
    else errors[`hours_${day}`] = t(`hours.${parsed.error}`, { day: weekdays[day - 1] ?? String(day) });
  }
  const workingHours = linesToHours(byDay);
  if (workingHours.length === 0 && !Object.keys(errors).some((k) => k.startsWith('hours_'))) errors.hours_1 = t('hours.none');

  if (!base.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    record: {
      name: base.data.name,
      phone: v.phone === '' ? null : normalizePhone(v.phone),
      officialId: v.officialId === '' ? null : v.officialId,
      procedures: [...new Set(base.data.procedures)],
      dailyCapacity: base.data.dailyCapacity,
      active: v.active,
      workingHours,
    },
  };
}

export interface DayOffValues {
  day: string;
  appraiserId: string;
  reason: string;
}

export function readDayOffForm(body: unknown): DayOffValues {
  const b = (body ?? {}) as Record<string, unknown>;
  return { day: str(b.day).trim(), appraiserId: str(b.appraiserId), reason: str(b.reason).trim() };
}

/** A day off from today on, for everyone (empty appraiser: a public holiday) or one known appraiser. */
export function validateDayOff(
  v: DayOffValues,
  ctx: { today: string; appraiserIds: string[]; i18n: Translator },
): { ok: true; dayOff: { day: string; appraiserId: string | null; reason: string } } | { ok: false; errors: FieldErrors } {
  const t = (k: string) => ctx.i18n.t(`admin-appraisal.errors.${k}`);
  const parsed = z
    .object({
      day: z.string().refine(isIsoDay, t('dayInvalid')).refine((d) => d >= ctx.today, t('dayPast')),
      appraiserId: z.string().refine((id) => id === '' || ctx.appraiserIds.includes(id), t('appraiserUnknown')),
      reason: z.string().min(2, t('dayOffReasonRequired')).max(200, t('dayOffReasonTooLong')),
    })
    .safeParse(v);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return { ok: false, errors };
  }
  return { ok: true, dayOff: { day: parsed.data.day, appraiserId: parsed.data.appraiserId || null, reason: parsed.data.reason } };
}
