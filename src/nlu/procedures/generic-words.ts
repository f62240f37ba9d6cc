/**
 * Words that appear in many procedure names and in everyday questions but say nothing about which
 * procedure is meant: "thủ tục", "giấy", "đăng ký", "cấp", "giấy chứng nhận" … A mention made of
 * these alone must not select a procedure ("đăng ký ở đâu" is not "đăng ký khai sinh"). Marking is
 * done per word, not per syllable ("chứng" is generic inside "giấy chứng nhận" but is the heart of
 * "chứng thực"), and on the phrase as written in the knowledge base, diacritics included: "từ"
 * (from) is generic, "tử" (khai tử) and "tư" (tư pháp) are not, though all three fold to "tu".
 */
import { analyze, type Syllable } from '../vietnamese/analyze';
import { hasDiacritics } from '../vietnamese/fold';

/**
 * Generic words as written (lower-case, diacritics; both "ký" and "kí" spellings where used).
 * Multi-syllable words are matched before their parts.
 */
const GENERIC_WORDS: readonly string[] = [
  'thủ tục', 'hành chính', 'giấy tờ', 'giấy', 'tờ khai', 'đăng ký', 'đăng kí', 'cấp', 'cấp lại', 'cấp đổi',
  'làm', 'xin', 'hồ sơ', 'chứng nhận', 'giấy phép', 'phép', 'xác nhận', 'xác định',
  'đủ điều kiện', 'điều kiện', 'cơ sở', 'bản sao', 'bản chính', 'bản', 'phiếu', 'dịch vụ công',
  'dịch vụ', 'trực tuyến', 'nộp', 'đổi', 'mới', 'thành lập', 'mức độ', 'hằng tháng', 'hàng tháng',
  'từ', 'cho', 'của', 'và', 'ở', 'tại', 'người', 'trên', 'địa bàn', 'cá nhân', 'tổ chức',
  // Everyday words of questions, which aliases written as questions contain too
  // ("xây nhà có cần xin phép", "khai tử cho người mất" against "… mất bao lâu").
  'có', 'cần', 'không', 'được', 'phải', 'muốn', 'hỏi', 'gì', 'nào', 'về', 'với', 'số', 'mất',
  'tôi', 'mình', 'em', 'anh', 'chị', 'con', 'trẻ', 'bé',
];

/** Weight of a generic syllable relative to a distinctive one (1). */
export const GENERIC_WEIGHT = 0.25;

const BY_LENGTH: readonly (readonly Syllable[])[] = GENERIC_WORDS.map((w) => analyze(w)).sort(
  (a, b) => b.length - a.length,
);

/**
 * Whether a phrase syllable is this syllable of a generic word: same letters, and, when the phrase
 * was written with diacritics, the same diacritics. A phrase written without any ("lam giay
 * khai sinh") can only be compared by letters.
 */
const sameWord = (phrase: Syllable, generic: Syllable): boolean =>
  phrase.text === generic.text && (!hasDiacritics(phrase.typed) || phrase.typed === generic.typed);

/**
 * For each syllable of a phrase, whether it belongs to a generic word. Longest generic words are
 * marked first so that "giấy chứng nhận" is one generic word, not "giấy" + two others.
 */
export function markGeneric(syllables: readonly Syllable[]): boolean[] {
  const generic = syllables.map(() => false);
  for (const word of BY_LENGTH) {
    for (let i = 0; i + word.length <= syllables.length; i += 1) {
      if (generic.slice(i, i + word.length).some(Boolean)) continue;
      if (word.every((g, k) => sameWord(syllables[i + k]!, g))) {
        for (let k = 0; k < word.length; k += 1) generic[i + k] = true;
      }
    }
  }
  return generic;
}
