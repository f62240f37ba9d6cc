/**
 * The `APPR:` payloads of the appraisal flow's quick replies and buttons. A slot, a booking to move
 * or cancel, and a confirmation of a change carry everything they need (slot start, appraiser,
 * booking id), so an old button still does the right thing after the context expired; only the
 * steps of a draft the person is filling in (confirm, edit) depend on the stored state.
 */
import { EDITABLE, type DayPreference, type EditableField } from './state';

export const PREFIX = 'APPR';

export type ApprPayload =
  | { kind: 'book' }
  | { kind: 'status' }
  | { kind: 'procedure'; slug: string }
  | { kind: 'day'; day: DayPreference }
  | { kind: 'slot'; procedure: string; start: Date; appraiserId: string }
  | { kind: 'confirm' }
  | { kind: 'edit'; field: EditableField | 'menu' }
  | { kind: 'stop' }
  | { kind: 'move'; bookingId?: string }
  | { kind: 'moveDay'; bookingId: string; day: DayPreference }
  | { kind: 'moveTo'; bookingId: string; start: Date; appraiserId: string }
  | { kind: 'moveOk'; bookingId: string; start: Date; appraiserId: string }
  | { kind: 'cancel'; bookingId?: string }
  | { kind: 'cancelOk'; bookingId: string }
  | { kind: 'keep' };

const SLUG = /^[a-z0-9-]{1,100}$/;
const ID = /^[A-Za-z0-9-]{1,100}$/;
const DAY = /^(now|\d{4}-\d{2}-\d{2})$/;

const day = (d: DayPreference) => `${d.from}:${d.days}:${d.part ?? 'any'}${d.time ? `:${d.time.replace(':', '')}` : ''}`;
const at = (start: Date) => String(start.getTime());

/** The full payload string (with `APPR:`) for `p`. */
export function apprPayload(p: ApprPayload): string {
  const body = (() => {
    switch (p.kind) {
      case 'book':
      case 'status':
      case 'confirm':
      case 'stop':
      case 'keep':
        return p.kind;
      case 'procedure':
        return `proc:${p.slug}`;
      case 'day':
        return `day:${day(p.day)}`;
      case 'slot':
        return `slot:${p.procedure}:${at(p.start)}:${p.appraiserId}`;
      case 'edit':
        return `edit:${p.field}`;
      case 'move':
        return p.bookingId ? `move:${p.bookingId}` : 'move';
      case 'moveDay':
        return `mday:${p.bookingId}:${day(p.day)}`;
      case 'moveTo':
        return `mto:${p.bookingId}:${at(p.start)}:${p.appraiserId}`;
      case 'moveOk':
        return `mok:${p.bookingId}:${at(p.start)}:${p.appraiserId}`;
      case 'cancel':
        return p.bookingId ? `cancel:${p.bookingId}` : 'cancel';
      case 'cancelOk':
        return `cok:${p.bookingId}`;
    }
  })();
  return `${PREFIX}:${body}`;
}

function readDay(parts: string[]): DayPreference | undefined {
  const [from, days, part, time] = parts;
  if (!from || !DAY.test(from) || !days || !/^\d{1,2}$/.test(days)) return undefined;
  const n = Number(days);
  if (n < 1 || n > 31) return undefined;
  if (part !== 'any' && part !== 'morning' && part !== 'afternoon') return undefined;
  if (time !== undefined && !/^\d{4}$/.test(time)) return undefined;
  return {
    from,
    days: n,
    ...(part === 'any' ? {} : { part }),
    ...(time ? { time: `${time.slice(0, 2)}:${time.slice(2)}` } : {}),
  };
}

function readAt(ms: string | undefined): Date | undefined {
  if (!ms || !/^\d{10,15}$/.test(ms)) return undefined;
  const d = new Date(Number(ms));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Reads what follows `APPR:`; anything we did not issue gives undefined. */
export function readApprPayload(rest: string): ApprPayload | undefined {
  const [head, ...args] = rest.split(':');
  const [a, b, c] = args;
  switch (head) {
    case 'book':
    case 'status':
    case 'confirm':
    case 'stop':
    case 'keep':
      return args.length === 0 ? { kind: head } : undefined;
    case 'proc':
      return a && SLUG.test(a) && args.length === 1 ? { kind: 'procedure', slug: a } : undefined;
    case 'day': {
      const d = readDay(args);
      return d ? { kind: 'day', day: d } : undefined;
    }
    case 'slot': {
      const start = readAt(b);
      return a && SLUG.test(a) && start && c && ID.test(c) ? { kind: 'slot', procedure: a, start, appraiserId: c } : undefined;
    }
    case 'edit':
      return a === 'menu' || (EDITABLE as readonly string[]).includes(a ?? '') ? { kind: 'edit', field: a as EditableField | 'menu' } : undefined;
    case 'move':
      if (a === undefined) return { kind: 'move' };
      return ID.test(a) ? { kind: 'move', bookingId: a } : undefined;
    case 'mday': {
      const d = readDay(args.slice(1));
      return a && ID.test(a) && d ? { kind: 'moveDay', bookingId: a, day: d } : undefined;
    }
    case 'mto':
    case 'mok': {
      const start = readAt(b);
      if (!a || !ID.test(a) || !start || !c || !ID.test(c)) return undefined;
      return { kind: head === 'mto' ? 'moveTo' : 'moveOk', bookingId: a, start, appraiserId: c };
    }
    case 'cancel':
      if (a === undefined) return { kind: 'cancel' };
      return ID.test(a) ? { kind: 'cancel', bookingId: a } : undefined;
    case 'cok':
      return a && ID.test(a) ? { kind: 'cancelOk', bookingId: a } : undefined;
    default:
      return undefined;
  }
}
