/**
 * Remote appraisal (thẩm định từ xa), issue 6: appraisal types, appraisers' calendars, free slots,
 * race-safe bookings, reminders, the public slots/bookings API and the `.ics` calendar files.
 *
 * @example
 *   const appraisal = createAppraisalService(db, { linkSecret });
 *   const slots = await appraisal.freeSlots({ procedure: 'attp', from: '2026-11-23', days: 5, now });
 *   const result = await appraisal.book({ procedure: 'attp', start: slots[0].start, …, source: 'chat' }, now);
 *   if (!result.ok && result.reason === 'slot_taken') offer(result.alternatives);
 */
export * from './contract';
export { createAppraisalService, DEFAULT_MIN_NOTICE_MINUTES, type AppraisalServiceOptions } from './service';
export { isExclusionViolation, isUniqueViolation } from './db-errors';
export { normalizeBookingCode, CODE_PREFIX } from './codes';
export { bookingRequestSchema, apiBookingSchema, phoneSchema } from './request';
export { formatSessionTime, vietnamClock, vietnamDate } from './format';
export { generateSlots, openSlots, type SlotQuery, type SlotAppraiser, type BusyRange } from './slots';
export { renderIcs } from './ics';
export { resolveLinkSecret, calendarToken } from './calendar-link';
export { appraisalSeedSchema, workingHoursSchema, type WorkingPeriod } from './model';
export { enqueueNotice, noticeKey, znsTemplateData, type Notice, type NoticeOutcome } from './notices';
export { appraisalRouter, type AppraisalRouterDeps } from './routes';
export { seedSampleAppraisal, SAMPLE_APPRAISAL_FILE } from './seed';
export { appraisalRemindersJob, planReminders } from './reminders';
