/**
 * Reading console forms and explaining validation failures. Inputs use flat names (`doc_0_name`,
 * `hours_1_days`) so the body reads the same whichever urlencoded parser (simple or `qs`) ran
 * first; a repeated name (a group of checkboxes) arrives as an array.
 */
import type { z } from 'zod';
import type { Translator } from '../../i18n';

export type FormBody = Record<string, unknown>;

/** The form body, or an empty one when nothing was posted. */
export function formBody(body: unknown): FormBody {
  return typeof body === 'object' && body !== null ? (body as FormBody) : {};
}

/** One text value (the first when repeated), as typed. */
export function str(body: FormBody, name: string): string {
  const v = body[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : '';
}

/** Every value of a repeated input (checkbox group). */
export function strs(body: FormBody, name: string): string[] {
  const v = body[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string');
}

/** Non-empty trimmed lines of a textarea ("one per line" fields). */
export function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A trimmed optional text: empty means absent. */
export function optional(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}

/**
 * A number typed by a person: "50.000" and "50 000" are fifty thousand (Vietnamese groups digits
 * with dots), "1,5" is one and a half. Empty gives `empty`; anything else is returned as typed, so
 * the schema rejects it as "not a number" next to the field instead of it silently becoming 0.
 */
export function numberInput(text: string, empty: number | null, opts: { decimal?: boolean } = {}): number | null | string {
  const t = text.trim();
  if (t === '') return empty;
  const cleaned = opts.decimal ? t.replace(/\s/g, '').replace(',', '.') : t.replace(/[.\s]/g, '');
  return /^\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : t;
}

/** Row indexes present in the body for a repeated group, e.g. `doc_{i}_name` -> [0, 1, 4]. */
export function rowIndexes(body: FormBody, prefix: string): number[] {
  const re = new RegExp(`^${prefix}_(\\d+)_`);
  const found = new Set<number>();
  for (const key of Object.keys(body)) {
    const m = re.exec(key);
    if (m) found.add(Number(m[1]));
  }
  return [...found].filter((i) => i < 200).sort((a, b) => a - b);
}

const TIME_FIELDS = new Set(['open', 'close']);
const SLUG_FIELDS = new Set(['slug', 'officeSlug']);

/** A zod issue in plain Vietnamese (or the console's language), for the person filling the form. */
export function issueMessage(issue: z.core.$ZodIssue, i18n: Translator): string {
  const last = issue.path.at(-1);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'number') return i18n.t('admin-kb.errors.number');
      return i18n.t('admin-kb.errors.required');
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'set') return i18n.t('admin-kb.errors.atLeastOne');
      if (issue.origin === 'string') return i18n.t('admin-kb.errors.required');
      return i18n.t('admin-kb.errors.min', { min: String(issue.minimum) });
    case 'invalid_format':
      if (issue.format === 'url') return i18n.t('admin-kb.errors.url');
      if (typeof last === 'string' && TIME_FIELDS.has(last)) return i18n.t('admin-kb.errors.time');
      if (typeof last === 'string' && SLUG_FIELDS.has(last)) return i18n.t('admin-kb.errors.slug');
      return i18n.t('admin-kb.errors.format');
    case 'invalid_value':
      return i18n.t('admin-kb.errors.choice');
    case 'custom':
      return issue.message;
    default:
      return i18n.t('admin-kb.errors.invalid');
  }
}
