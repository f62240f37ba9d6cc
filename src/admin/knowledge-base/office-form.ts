/**
 * The office form: address, contacts, regular opening hours and special services, validated by
 * `officeSchema`. Rows left entirely blank are spare rows and ignored.
 */
import type { Translator } from '../../i18n';
import { officeSchema, type Office } from '../../procedures';
import { RESERVED_SLUGS, type FieldErrors } from './deps';
import { formBody, issueMessage, optional, rowIndexes, str, strs, type FormBody } from './form-input';

export interface PeriodRow {
  days: string[];
  open: string;
  close: string;
}

export interface SpecialRow extends PeriodRow {
  label: string;
  note: string;
}

export interface OfficeFormValues {
  slug: string;
  name: string;
  address: string;
  phone: string;
  email: string;
  note: string;
  hours: PeriodRow[];
  special: SpecialRow[];
}

const emptyPeriod = (): PeriodRow => ({ days: [], open: '', close: '' });
const emptySpecial = (): SpecialRow => ({ label: '', days: [], open: '', close: '', note: '' });

export function emptyOfficeForm(): OfficeFormValues {
  return {
    slug: '',
    name: '',
    address: '',
    phone: '',
    email: '',
    note: '',
    hours: [{ days: ['1', '2', '3', '4', '5'], open: '07:30', close: '11:30' }, { days: ['1', '2', '3', '4', '5'], open: '13:30', close: '17:00' }, emptyPeriod()],
    special: [emptySpecial()],
  };
}

export function officeToForm(o: Office): OfficeFormValues {
  return {
    slug: o.slug,
    name: o.name,
    address: o.address,
    phone: o.phone ?? '',
    email: o.email ?? '',
    note: o.note ?? '',
    hours: [...o.hours.map((h) => ({ days: h.days.map(String), open: h.open, close: h.close })), emptyPeriod()],
    special: [...o.specialHours.map((s) => ({ label: s.label, days: s.days.map(String), open: s.open, close: s.close, note: s.note ?? '' })), emptySpecial()],
  };
}

export function readOfficeForm(rawBody: unknown, slug?: string): OfficeFormValues {
  const body: FormBody = formBody(rawBody);
  const period = (prefix: string, i: number): PeriodRow => ({
    days: strs(body, `${prefix}_${i}_days`),
    open: str(body, `${prefix}_${i}_open`).trim(),
    close: str(body, `${prefix}_${i}_close`).trim(),
  });
  const hours = rowIndexes(body, 'hours').map((i) => period('hours', i));
  const special = rowIndexes(body, 'special').map((i) => ({
    ...period('special', i),
    label: str(body, `special_${i}_label`),
    note: str(body, `special_${i}_note`),
  }));
  return {
    slug: slug ?? str(body, 'slug').trim(),
    name: str(body, 'name'),
    address: str(body, 'address'),
    phone: str(body, 'phone'),
    email: str(body, 'email'),
    note: str(body, 'note'),
    hours: hours.length > 0 ? hours : [emptyPeriod()],
    special: special.length > 0 ? special : [emptySpecial()],
  };
}

const isBlank = (r: PeriodRow & { label?: string; note?: string }) =>
  r.days.length === 0 && !r.open && !r.close && !r.label?.trim() && !r.note?.trim();

const indexed = <R extends PeriodRow>(rows: R[]) => rows.map((row, index) => ({ row, index })).filter(({ row }) => !isBlank(row));

/** Checkbox values "1"…"7"; anything else becomes NaN, which the schema rejects. */
const days = (values: string[]) => values.map((d) => (/^[1-7]$/.test(d) ? Number(d) : Number.NaN));

export type OfficeValidation = { ok: true; office: Office } | { ok: false; errors: FieldErrors };

export function validateOfficeForm(v: OfficeFormValues, ctx: { isNew: boolean; i18n: Translator }): OfficeValidation {
  const hours = indexed(v.hours);
  const special = indexed(v.special);
  const input = {
    slug: v.slug,
    name: v.name.trim(),
    address: v.address.trim(),
    phone: optional(v.phone),
    email: optional(v.email),
    hours: hours.map(({ row }) => ({ days: days(row.days), open: row.open, close: row.close })),
    specialHours: special.map(({ row }) => ({ label: row.label.trim(), days: days(row.days), open: row.open, close: row.close, note: optional(row.note) })),
    note: optional(v.note),
  };
  const errors: FieldErrors = {};
  const result = officeSchema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [head, i, leaf] = issue.path;
      let name = typeof head === 'string' ? head : 'form';
      if (head === 'hours' && typeof i === 'number') name = `hours_${hours[i]?.index ?? i}_${String(leaf ?? 'days')}`;
      if (head === 'specialHours' && typeof i === 'number') name = `special_${special[i]?.index ?? i}_${String(leaf ?? 'days')}`;
      errors[name] ??= issueMessage(issue, ctx.i18n);
    }
  }
  // The schema checks each time's shape; only here do we know both ends of a period.
  for (const [prefix, rows] of [['hours', hours], ['special', special]] as const) {
    for (const { row, index } of rows) {
      if (/^\d\d:\d\d$/.test(row.open) && /^\d\d:\d\d$/.test(row.close) && row.open >= row.close) {
        errors[`${prefix}_${index}_close`] ??= ctx.i18n.t('admin-kb.errors.closeBeforeOpen');
      }
    }
  }
  if (ctx.isNew && RESERVED_SLUGS.has(v.slug)) errors.slug ??= ctx.i18n.t('admin-kb.errors.reservedSlug');
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, office: result.data };
}
