/**
 * What a reminder says: the chat text (locales `reminders.*`) and the ZNS template's parameters.
 * The template's keys are a contract with the template approved by Zalo (DESIGN.md §4.3b): exactly
 * `customer_name`, `licence_number`, `licence_type`, `expiry_date` (dd/mm/yyyy) and `days_left`.
 */
import type { Translator } from '../../i18n';
import { daysBetween, toVietnameseDate } from './ladder';

/** The facts of one reminder, as of the tick that planned it. */
export interface ReminderFacts {
  holderName: string;
  licenceNumber: string;
  /** The licence type as people know it: the procedure's name (its slug when unknown). */
  licenceType: string;
  /** `YYYY-MM-DD`. */
  expiresOn: string;
  /** `YYYY-MM-DD` in Vietnam: the day the reminder was planned. */
  today: string;
}

/** Days from `today` to the expiry: 0 on the day itself, negative once it has passed. */
export function daysLeft(facts: Pick<ReminderFacts, 'expiresOn' | 'today'>): number {
  return daysBetween(facts.today, facts.expiresOn);
}

/** The chat message (Zalo CS, Messenger): before, on, or after the expiry day. */
export function reminderText(i18n: Translator, facts: ReminderFacts): string {
  const params = {
    licenceType: facts.licenceType,
    number: facts.licenceNumber,
    holder: facts.holderName,
    expiryDate: toVietnameseDate(facts.expiresOn),
    daysLeft: daysLeft(facts),
  };
  const left = params.daysLeft;
  const body =
    left > 0
      ? i18n.t('reminders.expiring', params)
      : left === 0
        ? i18n.t('reminders.expiresToday', params)
        : i18n.t('reminders.expired', params);
  return `${body}\n${i18n.t('reminders.howToRenew')}\n${i18n.t('reminders.unsubscribeHint')}`;
}

/** The ZNS template's parameters. `days_left` is never negative: an approved template says "còn N ngày". */
export function znsTemplateData(facts: ReminderFacts): Record<string, string | number> {
  return {
    customer_name: facts.holderName,
    licence_number: facts.licenceNumber,
    licence_type: facts.licenceType,
    expiry_date: toVietnameseDate(facts.expiresOn),
    days_left: Math.max(0, daysLeft(facts)),
  };
}
