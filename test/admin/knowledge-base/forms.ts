/** Form bodies as a browser would post them (flat names, repeated names for checkbox groups). */
import type { Office, Procedure } from '../../../src/procedures';
import { TEST_CSRF } from './test-kit';

export type Fields = Record<string, string | string[]>;

export function encode(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
  return params.toString();
}

/** The edit form filled in with `p`, plus one blank spare document row like the page offers. */
export function procedureFields(p: Procedure, extra: Fields = {}): Fields {
  const fields: Fields = {
    _csrf: TEST_CSRF,
    slug: p.slug,
    name: p.name,
    aliases: p.aliases.join('\n'),
    field: p.field,
    agency: p.agency,
    level: p.level,
    fee_amount: p.fee.amountVnd === null ? '' : String(p.fee.amountVnd),
    fee_text: p.fee.text ?? '',
    fee_exemptions: p.fee.exemptions.join('\n'),
    duration_text: p.processingTime.text,
    duration_days: p.processingTime.workingDays === null ? '' : String(p.processingTime.workingDays),
    steps: p.steps.join('\r\n'),
    office: p.where.officeSlug,
    where_note: p.where.note ?? '',
    online_level: p.onlineService.level,
    online_url: p.onlineService.url ?? '',
    online_note: p.onlineService.note ?? '',
    legal_basis: p.legalBasis.join('\n'),
  };
  if (p.isSample) fields.is_sample = 'on';
  p.documents.forEach((d, i) => {
    fields[`doc_${i}_name`] = d.name;
    fields[`doc_${i}_form`] = d.form;
    fields[`doc_${i}_quantity`] = String(d.quantity);
    fields[`doc_${i}_note`] = d.note ?? '';
  });
  const spare = p.documents.length;
  Object.assign(fields, { [`doc_${spare}_name`]: '', [`doc_${spare}_form`]: 'original', [`doc_${spare}_quantity`]: '1', [`doc_${spare}_note`]: '' });
  return { ...fields, ...extra };
}

export function officeFields(o: Office, extra: Fields = {}): Fields {
  const fields: Fields = {
    _csrf: TEST_CSRF,
    slug: o.slug,
    name: o.name,
    address: o.address,
    phone: o.phone ?? '',
    email: o.email ?? '',
    note: o.note ?? '',
  };
  o.hours.forEach((h, i) => {
    fields[`hours_${i}_days`] = h.days.map(String);
    fields[`hours_${i}_open`] = h.open;
    fields[`hours_${i}_close`] = h.close;
  });
  // A blank spare row, as the page offers one.
  fields[`hours_${o.hours.length}_open`] = '';
  fields[`hours_${o.hours.length}_close`] = '';
  o.specialHours.forEach((s, i) => {
    fields[`special_${i}_label`] = s.label;
    fields[`special_${i}_days`] = s.days.map(String);
    fields[`special_${i}_open`] = s.open;
    fields[`special_${i}_close`] = s.close;
    fields[`special_${i}_note`] = s.note ?? '';
  });
  return { ...fields, ...extra };
}
