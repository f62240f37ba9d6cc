/**
 * The shape of the knowledge base: administrative procedures (thủ tục hành chính) and the offices
 * where they are filed. These zod schemas are the single source of truth: imports, the seed file,
 * the repository and the console all validate against them, and the TypeScript types come from them.
 */
import { z } from 'zod';

/** Slugs are stable public identifiers (QR codes, deep links, NLU output): lower-case kebab-case. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'slug must be lower-case letters, digits and hyphens');

/** "HH:mm", 24-hour clock, local Vietnam time. */
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:mm');

/** ISO weekday numbers: 1 = Monday (thứ Hai) … 7 = Sunday (Chủ nhật). */
const weekday = z.number().int().min(1).max(7);

export const openingPeriodSchema = z.object({
  days: z.array(weekday).min(1),
  open: clockTime,
  close: clockTime,
});

/** A named exception or extra service: "Sáng Chủ nhật", "Thứ Sáu giải quyết nhanh" … */
export const specialHoursSchema = z.object({
  label: z.string().min(1),
  days: z.array(weekday).min(1),
  open: clockTime,
  close: clockTime,
  note: z.string().optional(),
});

export const officeSchema = z.object({
  slug: slugSchema,
  name: z.string().min(1),
  address: z.string().min(1),
  phone: z.string().optional(),
  email: z.string().optional(),
  hours: z.array(openingPeriodSchema).min(1),
  specialHours: z.array(specialHoursSchema).default([]),
  note: z.string().optional(),
});

/** How a document must be presented at the counter. */
export const documentFormSchema = z.enum([
  'original', // bản chính
  'copy', // bản sao (không cần chứng thực)
  'certified_copy', // bản sao có chứng thực
  'copy_or_present_original', // bản sao, hoặc bản chụp kèm bản chính để đối chiếu
  'present_original', // chỉ xuất trình bản chính để đối chiếu
  'form', // tờ khai / mẫu đơn theo mẫu
]);

export const requiredDocumentSchema = z.object({
  name: z.string().min(1),
  form: documentFormSchema,
  quantity: z.number().int().min(1).default(1),
  /** Who needs it or when: "nếu ủy quyền nộp thay", "đối với người nước ngoài" … */
  note: z.string().optional(),
});

export const feeSchema = z.object({
  /** Amount in VND; 0 means free of charge (miễn phí); null when it depends (see text). */
  amountVnd: z.number().int().min(0).nullable(),
  /** Human text when the amount alone does not say it, e.g. "50.000 đồng/trang; từ trang thứ 3 …". */
  text: z.string().optional(),
  exemptions: z.array(z.string()).default([]),
});

export const processingTimeSchema = z.object({
  text: z.string().min(1),
  /** Working days, when the law states a number; lets answers say "khoảng N ngày làm việc". */
  workingDays: z.number().min(0).nullable().default(null),
});

export const onlineServiceSchema = z.object({
  /** full = dịch vụ công trực tuyến toàn trình; partial = một phần; none = chỉ nộp trực tiếp/bưu chính. */
  level: z.enum(['full', 'partial', 'none']),
  /** Only http(s): the link is sent to citizens as a button. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  note: z.string().optional(),
});

export const procedureLevelSchema = z.enum(['xa', 'huyen', 'tinh']);

export const procedureSchema = z.object({
  slug: slugSchema,
  name: z.string().min(1),
  /** Other names people use, short forms included ("đkkd", "hộ khẩu"). */
  aliases: z.array(z.string().min(1)).default([]),
  field: z.string().min(1),
  agency: z.string().min(1),
  level: procedureLevelSchema,
  documents: z.array(requiredDocumentSchema).min(1),
  fee: feeSchema,
  processingTime: processingTimeSchema,
  steps: z.array(z.string().min(1)).min(1),
  where: z.object({
    /** The office that receives the file; its address and hours come from the office record. */
    officeSlug: slugSchema,
    note: z.string().optional(),
  }),
  onlineService: onlineServiceSchema,
  legalBasis: z.array(z.string().min(1)).min(1),
  /** Sample content shipped with the product, to be replaced by the office's own. */
  isSample: z.boolean().default(false),
  status: z.enum(['active', 'retired']).default('active'),
});

export type Office = z.infer<typeof officeSchema>;
export type Procedure = z.infer<typeof procedureSchema>;
export type ProcedureInput = z.input<typeof procedureSchema>;
export type RequiredDocument = z.infer<typeof requiredDocumentSchema>;
export type ProcedureLevel = z.infer<typeof procedureLevelSchema>;

/** A stored procedure: the content plus bookkeeping. */
export type StoredProcedure = Procedure & { updatedAt: Date };

/** The file format of `data/seed/knowledge-base.json` and of `npm run kb -- export`. */
export const knowledgeBaseFileSchema = z.object({
  sample: z.boolean().optional(),
  offices: z.array(officeSchema).default([]),
  procedures: z.array(procedureSchema).default([]),
});
export type KnowledgeBaseFile = z.infer<typeof knowledgeBaseFileSchema>;
