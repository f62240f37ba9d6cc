/**
 * Shapes of the appraisal data kept as JSON (working hours, checklists) and of the sample seed
 * file. These zod schemas validate the seed, rows read back from the database and the console's
 * edits alike, so a malformed calendar is refused where it enters, not when slots are generated.
 */
import { z } from 'zod';

/** "HH:mm", 24-hour clock, Vietnam time. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:mm');

/** A Vietnam calendar day, `YYYY-MM-DD`, that exists (no 2026-02-30). */
export const localDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD')
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, 'not a calendar day');

/** One block of working time on some weekdays (ISO: 1 = Monday … 7 = Sunday). */
export const workingPeriodSchema = z
  .object({
    days: z.array(z.number().int().min(1).max(7)).min(1),
    start: clockTimeSchema,
    end: clockTimeSchema,
  })
  .refine((p) => p.start < p.end, 'a working period ends after it starts');

export type WorkingPeriod = z.infer<typeof workingPeriodSchema>;

export const workingHoursSchema = z.array(workingPeriodSchema);

export const checklistSchema = z.array(z.object({ key: z.string().regex(/^[a-z0-9_]+$/), label: z.string().min(1) }));

export const appraisalTypeSeedSchema = z.object({
  procedureSlug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  sessionMinutes: z.number().int().min(5).max(480),
  bufferMinutes: z.number().int().min(0).max(240),
  videoChannel: z.enum(['zalo_video', 'messenger_video', 'meeting_link']),
  meetingUrl: z.url().nullable(),
  checklist: checklistSchema.min(1),
  preparation: z.array(z.string().min(1)).min(1),
  licenceValidityDays: z.number().int().min(1),
});

export const appraiserSeedSchema = z.object({
  name: z.string().min(1),
  phone: z.string().nullable(),
  procedures: z.array(z.string().min(1)).min(1),
  workingHours: workingHoursSchema.min(1),
  dailyCapacity: z.number().int().min(1).max(50),
  /** Personal leave days. */
  daysOff: z.array(z.object({ day: localDaySchema, reason: z.string().min(1) })).default([]),
});

/** `data/seed/appraisal.json`: sample types, appraisers and public holidays. */
export const appraisalSeedSchema = z.object({
  sample: z.literal(true),
  types: z.array(appraisalTypeSeedSchema).min(1),
  appraisers: z.array(appraiserSeedSchema).min(1),
  holidays: z.array(z.object({ day: localDaySchema, reason: z.string().min(1) })),
});

export type AppraisalSeed = z.infer<typeof appraisalSeedSchema>;
