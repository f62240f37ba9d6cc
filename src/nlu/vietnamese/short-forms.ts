/**
 * Chat short forms (teencode) and office abbreviations, expanded before diacritics are folded so
 * that "dk ks ntn" and "đăng ký khai sinh như thế nào" give the classifier and the procedure matcher
 * the same syllables. This file is data: one entry per short form, a comment on every entry whose
 * reading is not obvious or that is deliberately narrowed.
 *
 * Keys are compared with the typed word lower-cased in NFC, diacritics kept, so that "ê" (a call for
 * attention) is not taken for "e" (em) and "à" is not taken for "a".
 *
 * Deliberately NOT here:
 * - "a": "anh" (elder brother, polite "you"), "à" typed bare (question particle) and "ạ" typed bare
 *   (politeness particle) are all common; expanding it would be wrong about as often as right.
 * - "cmnd", "cccd": already the words people and documents use; kept as they are.
 * - "b" (bạn), "dt" (điện thoại vs diện tích in building permits), "kg" (không vs kilogram),
 *   "hk" (hộ khẩu vs học kỳ vs không), "ks" (khai sinh vs khách sạn): too ambiguous.
 */

/** Where the word sits, for entries whose reading depends on it. */
export interface ShortFormContext {
  /** The previous word (lower-case NFC), or undefined at the start. */
  readonly previous: string | undefined;
  /** True when the word is the last word of the message. */
  readonly isLast: boolean;
}

export interface ShortForm {
  /** Spellings, lower-case NFC, diacritics as typed ("đk" and "dk" are two spellings). */
  readonly forms: readonly string[];
  /** The full words, with diacritics. */
  readonly expansion: string;
  /**
   * Optional guard: returns the expansion to use in this context, or null to leave the word as
   * typed. Without it the expansion always applies.
   */
  readonly when?: (ctx: ShortFormContext) => string | null;
}

const isNumber = (word: string | undefined): boolean => word !== undefined && /^\d+([.,]\d+)?$/.test(word);

export const SHORT_FORMS: readonly ShortForm[] = [
  {
    forms: ['đk', 'dk'],
    expansion: 'đăng ký',
    // After "đủ" it is "điều kiện" ("đủ đk kinh doanh"), not "đăng ký".
    when: (ctx) => (ctx.previous === 'đủ' || ctx.previous === 'du' ? 'điều kiện' : 'đăng ký'),
  },
  { forms: ['đkkd', 'dkkd'], expansion: 'đăng ký kinh doanh' },
  {
    // Bare "hong" is left out: typed without diacritics it is just as often "hồng" ("sổ hồng", the
    // land-use certificate people ask about for building permits).
    forms: ['ko', 'k', 'hok', 'khum', 'kh', 'hông', 'hem', 'hum', 'khg', 'kô'],
    expansion: 'không',
    // "50 k" is fifty thousand đồng ("nghìn"), not "50 không".
    when: (ctx) => (isNumber(ctx.previous) ? 'nghìn' : 'không'),
  },
  { forms: ['j'], expansion: 'gì' },
  // "gi" folds to the same syllable as "gì"; listed so the table documents the reading.
  { forms: ['gi'], expansion: 'gì' },
  // "bn" is also used for "bạn"; in questions to an office it is overwhelmingly "bao nhiêu".
  { forms: ['bn', 'baonhieu'], expansion: 'bao nhiêu' },
  { forms: ['tks', 'thanks', 'thank', 'thx', 'camon'], expansion: 'cảm ơn' },
  // "add" is a frequent typo for "ad" ("add ơi").
  { forms: ['ad', 'add'], expansion: 'admin' },
  { forms: ['đc', 'dc'], expansion: 'được' },
  { forms: ['ntn'], expansion: 'như thế nào' },
  { forms: ['z'], expansion: 'vậy' },
  {
    forms: ['v'],
    expansion: 'vậy',
    // Only as the last word ("sao v", "thế v"): elsewhere "v" is as likely "và" or "về".
    when: (ctx) => (ctx.isLast ? 'vậy' : null),
  },
  // "mk" is also "mật khẩu", which this office chat has no use for.
  { forms: ['mk', 'mik', 'mjk', 'mh', 'mềnh'], expansion: 'mình' },
  { forms: ['e'], expansion: 'em' },
  { forms: ['sdt', 'sđt'], expansion: 'số điện thoại' },
  { forms: ['gp'], expansion: 'giấy phép' },
  { forms: ['gcn'], expansion: 'giấy chứng nhận' },
  { forms: ['tthc'], expansion: 'thủ tục hành chính' },
  // "hs" is also "học sinh"; at a one-stop office it means the application file.
  { forms: ['hs'], expansion: 'hồ sơ' },
  { forms: ['tg'], expansion: 'thời gian' },
  // "ng" could be "ngày" in notes, but in chat it is "người" ("ng nhà", "ng khác làm hộ").
  { forms: ['ng'], expansion: 'người' },
  // "bh" is also "bây giờ"; both ask about time, "bao giờ" is the question form.
  { forms: ['bh'], expansion: 'bao giờ' },
  { forms: ['nt'], expansion: 'nhắn tin' },
  { forms: ['r', 'rùi', 'oy'], expansion: 'rồi' },
  // "vs" is "với" in chat; "versus" and "vệ sinh" do not occur in questions to the office.
  { forms: ['vs'], expansion: 'với' },
  { forms: ['ms'], expansion: 'mới' },
  { forms: ['cx', 'cg'], expansion: 'cũng' },
  { forms: ['trc'], expansion: 'trước' },
  { forms: ['lm'], expansion: 'làm' },
  { forms: ['bik', 'bít', 'bit'], expansion: 'biết' },
  { forms: ['dag', 'đag'], expansion: 'đang' },
  { forms: ['mn', 'mng'], expansion: 'mọi người' },
  { forms: ['ubnd'], expansion: 'ủy ban nhân dân' },
  { forms: ['dvc'], expansion: 'dịch vụ công' },
  { forms: ['gks'], expansion: 'giấy khai sinh' },
  { forms: ['gpxd'], expansion: 'giấy phép xây dựng' },
  { forms: ['hkd'], expansion: 'hộ kinh doanh' },
  { forms: ['lltp'], expansion: 'lý lịch tư pháp' },
];

/** Lookup table built once from {@link SHORT_FORMS}: spelling -> entry. */
export const SHORT_FORM_INDEX: ReadonlyMap<string, ShortForm> = new Map(
  SHORT_FORMS.flatMap((entry) => entry.forms.map((form) => [form.normalize('NFC'), entry] as const)),
);

/**
 * The expansion for `word` (lower-case NFC) in its context, or null when the word is not a short
 * form here.
 */
export function expandShortForm(word: string, ctx: ShortFormContext): string | null {
  const entry = SHORT_FORM_INDEX.get(word);
  if (entry === undefined) return null;
  return entry.when ? entry.when(ctx) : entry.expansion;
}
