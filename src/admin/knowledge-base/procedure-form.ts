/**
 * The procedure edit form: values exactly as typed (so a rejected form comes back unchanged), their
 * conversion to and from a `Procedure`, and validation by `procedureSchema` with each issue mapped
 * back to the input it concerns.
 */
import type { Translator } from '../../i18n';
import { procedureSchema, type Office, type Procedure, type ProcedureInput } from '../../procedures';
import { RESERVED_SLUGS, type FieldErrors } from './deps';
import { formBody, issueMessage, lines, numberInput, optional, rowIndexes, str, type FormBody } from './form-input';

export interface DocumentRow {
  name: string;
  form: string;
  quantity: string;
  note: string;
}

export interface ProcedureFormValues {
  slug: string;
  name: string;
  aliases: string;
  field: string;
  agency: string;
  level: string;
  isSample: boolean;
  documents: DocumentRow[];
  feeAmount: string;
  feeText: string;
  feeExemptions: string;
  durationText: string;
  durationDays: string;
  steps: string;
  office: string;
  whereNote: string;
  onlineLevel: string;
  onlineUrl: string;
  onlineNote: string;
  legalBasis: string;
  /** When the edited version was saved (ISO), to refuse overwriting someone else's later save. */
  updatedAt: string;
}

/** Empty document rows offered below the filled ones (more via "add row"). */
export const SPARE_DOCUMENT_ROWS = 2;

const emptyRow = (): DocumentRow => ({ name: '', form: 'original', quantity: '1', note: '' });

/** A blank form for a new procedure. */
export function emptyProcedureForm(): ProcedureFormValues {
  return {
    slug: '',
    name: '',
    aliases: '',
    field: '',
    agency: '',
    level: 'xa',
    isSample: false,
    documents: [emptyRow(), emptyRow(), emptyRow()],
    feeAmount: '',
    feeText: '',
    feeExemptions: '',
    durationText: '',
    durationDays: '',
    steps: '',
    office: '',
    whereNote: '',
    onlineLevel: 'none',
    onlineUrl: '',
    onlineNote: '',
    legalBasis: '',
    updatedAt: '',
  };
}

/** The form showing a stored procedure. */
export function procedureToForm(p: Procedure, updatedAt?: Date): ProcedureFormValues {
  return {
    slug: p.slug,
    name: p.name,
    aliases: p.aliases.join('\n'),
    field: p.field,
    agency: p.agency,
    level: p.level,
    isSample: p.isSample,
    documents: [
      ...p.documents.map((d) => ({ name: d.name, form: d.form, quantity: String(d.quantity), note: d.note ?? '' })),
      ...Array.from({ length: SPARE_DOCUMENT_ROWS }, emptyRow),
    ],
    feeAmount: p.fee.amountVnd === null ? '' : String(p.fee.amountVnd),
    feeText: p.fee.text ?? '',
    feeExemptions: p.fee.exemptions.join('\n'),
    durationText: p.processingTime.text,
    durationDays: p.processingTime.workingDays === null ? '' : String(p.processingTime.workingDays),
    steps: p.steps.join('\n'),
    office: p.where.officeSlug,
    whereNote: p.where.note ?? '',
    onlineLevel: p.onlineService.level,
    onlineUrl: p.onlineService.url ?? '',
    onlineNote: p.onlineService.note ?? '',
    legalBasis: p.legalBasis.join('\n'),
    updatedAt: updatedAt ? updatedAt.toISOString() : '',
  };
}

/** The posted form. `slug` comes from the URL when editing (it is a public identifier). */
export function readProcedureForm(rawBody: unknown, slug?: string): ProcedureFormValues {
  const body: FormBody = formBody(rawBody);
  const documents = rowIndexes(body, 'doc').map((i) => ({
    name: str(body, `doc_${i}_name`),
    form: str(body, `doc_${i}_form`),
    quantity: str(body, `doc_${i}_quantity`),
    note: str(body, `doc_${i}_note`),
  }));
  return {
    slug: slug ?? str(body, 'slug').trim(),
    name: str(body, 'name'),
    aliases: str(body, 'aliases'),
    field: str(body, 'field'),
    agency: str(body, 'agency'),
    level: str(body, 'level'),
    isSample: str(body, 'is_sample') === 'on',
    documents: documents.length > 0 ? documents : [emptyRow()],
    feeAmount: str(body, 'fee_amount'),
    feeText: str(body, 'fee_text'),
    feeExemptions: str(body, 'fee_exemptions'),
    durationText: str(body, 'duration_text'),
    durationDays: str(body, 'duration_days'),
    steps: str(body, 'steps'),
    office: str(body, 'office'),
    whereNote: str(body, 'where_note'),
    onlineLevel: str(body, 'online_level'),
    onlineUrl: str(body, 'online_url'),
    onlineNote: str(body, 'online_note'),
    legalBasis: str(body, 'legal_basis'),
    updatedAt: str(body, 'updated_at'),
  };
}

/** Rows whose name is empty are spare rows left blank: they are not documents. */
const filledRows = (v: ProcedureFormValues) =>
  v.documents.map((row, index) => ({ row, index })).filter(({ row }) => row.name.trim() !== '');

function toInput(v: ProcedureFormValues, status: Procedure['status']): unknown {
  return {
    slug: v.slug,
    name: v.name.trim(),
    aliases: lines(v.aliases),
    field: v.field.trim(),
    agency: v.agency.trim(),
    level: v.level,
    documents: filledRows(v).map(({ row }) => ({
      name: row.name.trim(),
      form: row.form,
      quantity: numberInput(row.quantity, 1),
      note: optional(row.note),
    })),
    fee: { amountVnd: numberInput(v.feeAmount, null), text: optional(v.feeText), exemptions: lines(v.feeExemptions) },
    processingTime: { text: v.durationText.trim(), workingDays: numberInput(v.durationDays, null, { decimal: true }) },
    steps: lines(v.steps),
    where: { officeSlug: v.office, note: optional(v.whereNote) },
    onlineService: { level: v.onlineLevel, url: optional(v.onlineUrl), note: optional(v.onlineNote) },
    legalBasis: lines(v.legalBasis),
    isSample: v.isSample,
    status,
  } satisfies Record<keyof ProcedureInput, unknown>;
}

/** Schema path (dot-joined, list items dropped) -> input name. */
const INPUT_FOR_PATH: Record<string, string> = {
  slug: 'slug',
  name: 'name',
  aliases: 'aliases',
  field: 'field',
  agency: 'agency',
  level: 'level',
  documents: 'documents',
  'fee.amountVnd': 'fee_amount',
  'fee.text': 'fee_text',
  'fee.exemptions': 'fee_exemptions',
  'processingTime.text': 'duration_text',
  'processingTime.workingDays': 'duration_days',
  steps: 'steps',
  'where.officeSlug': 'office',
  'where.note': 'where_note',
  'onlineService.level': 'online_level',
  'onlineService.url': 'online_url',
  'onlineService.note': 'online_note',
  legalBasis: 'legal_basis',
};

function inputName(path: PropertyKey[], v: ProcedureFormValues): string {
  const [head, index, leaf] = path;
  if (head === 'documents' && typeof index === 'number' && typeof leaf === 'string') {
    // The schema counts filled rows only; the form counts every row.
    const row = filledRows(v)[index]?.index ?? index;
    return `doc_${row}_${leaf}`;
  }
  const key = path.filter((p): p is string => typeof p === 'string').join('.');
  return INPUT_FOR_PATH[key] ?? 'form';
}

export type ProcedureValidation = { ok: true; procedure: Procedure } | { ok: false; errors: FieldErrors };

/**
 * Validates the form against `procedureSchema`, plus what only the console knows: the office must
 * exist, and a new slug must not be a console path.
 */
export function validateProcedureForm(
  v: ProcedureFormValues,
  ctx: { offices: Office[]; status: Procedure['status']; isNew: boolean; i18n: Translator },
): ProcedureValidation {
  const errors: FieldErrors = {};
  const result = procedureSchema.safeParse(toInput(v, ctx.status));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const name = inputName(issue.path, v);
      errors[name] ??= issueMessage(issue, ctx.i18n);
    }
  }
  if (ctx.isNew && RESERVED_SLUGS.has(v.slug)) errors.slug ??= ctx.i18n.t('admin-kb.errors.reservedSlug');
  // The schema's z.url() also takes `javascript:` links, which the bot would hand to citizens.
  if (optional(v.onlineUrl) && !/^https?:\/\//i.test(v.onlineUrl.trim())) errors.online_url ??= ctx.i18n.t('admin-kb.errors.url');
  if (v.office && !ctx.offices.some((o) => o.slug === v.office)) errors.office ??= ctx.i18n.t('admin-kb.errors.unknownOffice');
  if (!result.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, procedure: result.data };
}
