/**
 * Reading a shop owner's typed answers during the appraisal flow: yes/no, "thôi"/"hủy", "tiếp tục",
 * a day preference ("sáng mai", "thứ 6 tuần sau", "sớm nhất"), a pick among offered slots ("số 2",
 * "9h"), and fields given with labels in one message ("tên: …, địa chỉ: …, sđt: …").
 * Everything is matched on diacritic-folded text, so "dong y" and "đồng ý" read the same.
 */
import { extractPhones, foldVietnamese, type Parse } from '../../../nlu';
import type { DayPreference, SlotRef } from './state';

/** Folded text without punctuation or trailing politeness particles ("đồng ý ạ!" -> "dong y"). */
export function plain(text: string): string {
  return foldVietnamese(text)
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(?:\s(?:a|nhe|nha|nhe em|em nhe|nhe ban|luon|di|roi))+$/u, '');
}

const YES = new Set(['co', 'dong y', 'ok', 'oke', 'okay', 'oki', 'xac nhan', 'dung', 'dung roi', 'chinh xac', 'chot', 'duoc', 'vang', 'u', 'uh', 'da', 'da dung', 'dat', 'dat lich', 'yes', 'co dong y', 'dong y dat', 'xac nhan dat lich', 'dung vay', 'ok em', 'da dong y', 'da vang', 'da co', 'da duoc', 'duoc em', 'chuan', 'chuan roi']);
const NO = new Set(['khong', 'ko', 'k', 'kg', 'khong phai', 'chua', 'chua dung', 'sai', 'sai roi', 'no', 'khong dung', 'sua', 'sua lai', 'doi', 'thay doi', 'sua thong tin']);
const STOP = new Set(['thoi', 'huy', 'huy bo', 'dung lai', 'dung dat lich', 'thoi khong dat nua', 'khong dat nua', 'thoi khong can', 'thoi khong can nua', 'khong can nua', 'thoi bo qua', 'bo qua', 'huy dat lich', 'thoi khong dat', 'khong dat lich nua', 'thoi de sau', 'de sau', 'thoi huy']);
const CONTINUE = new Set(['tiep tuc', 'tiep', 'tiep di', 'tiep tuc dat lich', 'quay lai', 'quay lai dat lich', 'dat tiep', 'lam tiep', 'tiep tuc di']);

export const isYes = (text: string) => YES.has(plain(text));
export const isNo = (text: string) => NO.has(plain(text));
/** "thôi", "hủy": leave the flow. */
export const isStop = (text: string) => STOP.has(plain(text));
export const isContinue = (text: string) => CONTINUE.has(plain(text));

/**
 * Signs that a message is a question or a remark on another topic, not an answer: the intent model
 * alone is overconfident on short answers ("Số 12 Lê Lợi, thị trấn Phú Xuyên" scores as a request
 * for an official), so leaving the flow also needs one of these.
 */
const OTHER_TOPIC = /\?|\b(bao nhieu|bao lau|gi|o dau|the nao|nhu the nao|lam sao|duoc khong|dc ko|duoc ko|hay khong|khong a|ko a|can gi|chao|xin chao|hello|hi|cam on|cam on em|thanks|tam biet|bye|can bo|nhan vien|nguoi that|tu van vien|le phi|giay to|ho so|gio lam viec)\b/;
export const looksLikeAnotherTopic = (text: string) => OTHER_TOPIC.test(foldVietnamese(text));

/** Words that make a message read as an address or a business name whatever the intent model says. */
const ADDRESS_WORDS = /\b(so|so nha|duong|pho|ngo|ngach|hem|kiet|thon|xom|ap|ban|khu pho|khu|to|xa|phuong|thi tran|quan|huyen|tinh|thanh pho|tp|km|quoc lo|ql|cho)\b|\d/;
const BUSINESS_WORDS = /\b(cua hang|dai ly|cong ty|cty|doanh nghiep|ho kinh doanh|hkd|quan|nha hang|bep|co so|htx|hop tac xa|tap hoa|sieu thi|shop|vat tu|nong nghiep|thuc pham|thuoc)\b/;
export const readsAsAnswerTo = (step: 'businessName' | 'address', text: string) =>
  (step === 'address' ? ADDRESS_WORDS : BUSINESS_WORDS).test(foldVietnamese(text));

/** Words that tie a message to appraisal booking, so it is not taken as a business name or address. */
const APPRAISAL_WORDS = /\b(tham dinh|dat lich|lich hen|dat hen|doi lich|huy lich|doi gio|lich cua toi|video call)\b/;
export const mentionsAppraisal = (text: string) => APPRAISAL_WORDS.test(plain(text));

const SOONEST = /\b(som nhat|cang som cang tot|ngay nao cung duoc|hom nao cung duoc|luc nao cung duoc|khi nao cung duoc|bat ky|bat ki|gi cung duoc|sao cung duoc|tuy ben em|tuy em|tuy|ngay gan nhat|gan nhat)\b|^(khong|ko|k|chua|khong co|chua co)$/;
/** "sáng" typed with its mark is a morning; bare "sang" only next to a day word and not after a verb of moving ("chuyển sang thứ 3"). */
const MORNING = /\bsáng\b|\bbuoi sang\b|(?<!\b(?:chuyen|doi|qua|lui|dua|doi lich|chuyen lich|day)\s)\bsang\s(?:nay|mai|mot|thu|chu nhat|cn|ngay|hom|t[2-7])\b|^sang$/u;
const AFTERNOON = /\bchieu\b/;
const WEEKDAY_WORDS = /\b(thu|chu nhat|cn|t[2-7])\b/;

/**
 * The day preference in a message, from the NLU's datetime entities and the words around them.
 * `past` when the day named is already over; undefined when the message names no preference.
 */
export function readDayPreference(text: string, parse: Parse, today: string): DayPreference | 'past' | undefined {
  const lower = text.normalize('NFC').toLowerCase();
  const folded = plain(text);
  const entity = parse.entities.find((e) => e.type === 'datetime');
  const entityText = entity ? foldVietnamese(entity.text) : '';
  const part: DayPreference['part'] =
    MORNING.test(lower) || MORNING.test(folded) || /\bsang\b/.test(entityText) ? 'morning' : AFTERNOON.test(folded) ? 'afternoon' : undefined;
  if (entity) {
    const [day = '', clock] = entity.value.split('T');
    if (day < today) return 'past';
    // "tuần sau", "tháng sau" name a stretch anchored on its first day: offer slots across it.
    const stretch = !WEEKDAY_WORDS.test(entityText) && !/\d/.test(entityText);
    const days = stretch && /\btuan\b/.test(entityText) ? 7 : stretch && /\bthang\b/.test(entityText) ? 14 : 1;
    const hour = clock ? Number(clock.slice(0, 2)) : undefined;
    const clockPart = hour === undefined ? undefined : hour < 12 ? 'morning' : 'afternoon';
    const chosenPart = part ?? clockPart;
    return { from: day, days, ...(chosenPart ? { part: chosenPart } : {}), ...(clock ? { time: clock } : {}) };
  }
  if (SOONEST.test(folded)) return { from: 'now', days: 21, ...(part ? { part } : {}) };
  if (part && folded.split(' ').length <= 3) return { from: 'now', days: 21, part };
  return undefined;
}

/**
 * Which offered slot a typed answer picks: "2", "số 2", "cái thứ 2", or a time shown ("9h", "9:00",
 * "9h30") when exactly one offered slot starts then.
 */
export function pickOffered(text: string, parse: Parse, offered: SlotRef[], vietnamTime: (iso: string) => string): SlotRef | undefined {
  const folded = plain(text);
  const index = /^(?:so|cai|cai thu|lua chon|chon|chon so|muc)?\s*([1-9])$/.exec(folded);
  if (index) return offered[Number(index[1]) - 1];
  const clock = parse.entities.find((e) => e.type === 'datetime' && e.value.includes('T'))?.value.split('T')[1];
  const typed = clock ?? /^(\d{1,2})\s*(?:h|g|gio|:)\s*(\d{2})?$/.exec(folded)?.slice(1).map((n) => n ?? '00').map((n) => n.padStart(2, '0')).join(':');
  if (!typed) return undefined;
  const matches = offered.filter((s) => vietnamTime(s.start) === typed);
  return matches.length === 1 ? matches[0] : undefined;
}

export interface TypedFields {
  businessName?: string;
  address?: string;
  /** 0… form when valid; `invalidPhone` holds what was typed after a phone label when it is not a number. */
  phone?: string;
  invalidPhone?: string;
  /** The text outside labelled fields and phone numbers: the answer to the question pending. */
  rest: string;
}

const LABELS: { field: 'businessName' | 'address' | 'phone'; folded: string }[] = [
  ...['ten co so', 'ten cua hang', 'ten doanh nghiep', 'ten cong ty', 'ten ho kinh doanh', 'ten quan', 'ten dai ly', 'ten'].map((f) => ({ field: 'businessName' as const, folded: f })),
  ...['dia chi co so', 'dia chi', 'd/c'].map((f) => ({ field: 'address' as const, folded: f })),
  ...['so dien thoai', 'dien thoai', 'so dt', 'sdt', 'dt lien he', 'lien he'].map((f) => ({ field: 'phone' as const, folded: f })),
];
const LABEL_RE = new RegExp(`(?:^|[\\s,;.(])(${LABELS.map((l) => l.folded.replace('/', '\\/')).join('|')})(?:\\s+(?:la|cua toi la|cua em la))?\\s*[:=-]?\\s*`, 'g');

/** Folds character by character so positions in the folded text are positions in the original. */
function foldInPlace(text: string): string | undefined {
  const out = [...text].map((c) => (/\s/.test(c) ? ' ' : foldVietnamese(c) || c)).join('');
  return out.length === text.length ? out : undefined;
}

const tidy = (s: string) => s.replace(/^[\s,;:.\-–]+|[\s,;:\-–]+$/g, '').replace(/\s+/g, ' ').trim();

/** Fields given with labels, and phone numbers anywhere; the rest is the plain answer. */
export function readTypedFields(text: string): TypedFields {
  const nfc = text.normalize('NFC');
  const folded = foldInPlace(nfc);
  const fields: TypedFields = { rest: nfc };
  if (folded) {
    const marks = [...folded.matchAll(LABEL_RE)].map((m) => ({
      field: LABELS.find((l) => l.folded === m[1])!.field,
      labelStart: (m.index ?? 0) + m[0].indexOf(m[1]!),
      valueStart: (m.index ?? 0) + m[0].length,
    }));
    if (marks.length > 0) {
      fields.rest = tidy(nfc.slice(0, marks[0]!.labelStart));
      marks.forEach((mark, i) => {
        const value = tidy(nfc.slice(mark.valueStart, marks[i + 1]?.labelStart ?? nfc.length));
        if (!value || fields[mark.field] !== undefined) return;
        if (mark.field !== 'phone') fields[mark.field] = value;
        else {
          const phone = extractPhones(value)[0]?.value;
          if (phone) fields.phone = phone;
          else fields.invalidPhone = value;
        }
      });
    }
  }
  const phones = extractPhones(fields.rest);
  if (phones[0]) {
    fields.phone ??= phones[0].value;
    for (const p of phones) fields.rest = tidy(fields.rest.replace(p.text, ' '));
  }
  fields.rest = tidy(fields.rest);
  return fields;
}

/** Digits typed that look like an attempt at a phone number (not a house number). */
export const looksLikePhoneAttempt = (text: string) => (text.replace(/\D/g, '').length >= 6);
