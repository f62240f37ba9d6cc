/**
 * Validation of a booking request, shared by the service (any caller) and the public API: a bad
 * request is refused with zod's issues before anything is written.
 */
import { z } from 'zod';
import { normalizePhone } from '../nlu';
import { localDaySchema } from './model';

const text = (max: number, what: string) =>
  z
    .string()
    .transform((v) => v.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, `${what} is required`).max(max, `${what} is limited to ${max} characters`));

/** Any Vietnamese phone form, to its national 0… form. */
export const phoneSchema = z.string().transform((v, ctx) => {
  const phone = normalizePhone(v);
  if (phone === null) {
    ctx.addIssue({ code: 'custom', message: 'not a Vietnamese phone number (e.g. 0912345678 or +84 912 345 678)' });
    return z.NEVER;
  }
  return phone;
});

export const bookingRequestSchema = z
  .object({
    procedure: z.string().min(1).max(100),
    start: z.date().refine((d) => !Number.isNaN(d.getTime()), 'start is not a valid time'),
    appraiserId: z.uuid().optional(),
    businessName: text(200, 'businessName'),
    address: text(300, 'address'),
    phone: phoneSchema,
    channel: z.enum(['webchat', 'zalo', 'messenger']).optional(),
    channelUserId: z.string().min(1).max(200).optional(),
    source: z.enum(['chat', 'api', 'console']),
  })
  .refine((r) => (r.channel === undefined) === (r.channelUserId === undefined), {
    message: 'channel and channelUserId go together',
    path: ['channelUserId'],
  });

/** The public API's body (DESIGN.md §4.2): `start` is an ISO time with its offset ("…Z" or "+07:00"). */
export const apiBookingSchema = z.object({
  procedure: z.string().min(1).max(100),
  start: z.iso.datetime({ offset: true, message: 'start must be an ISO 8601 time with Z or an offset' }).transform((v) => new Date(v)),
  appraiserId: z.uuid().optional(),
  businessName: text(200, 'businessName'),
  address: text(300, 'address'),
  phone: phoneSchema,
});

export const slotsQuerySchema = z.object({
  procedure: z.string().min(1).max(100),
  from: localDaySchema,
  days: z.coerce.number().int().min(1).max(31).default(7),
});
