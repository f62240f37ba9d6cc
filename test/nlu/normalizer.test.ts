/** The Vietnamese normaliser: folding, tone placement, short forms, the nlp.js plugin. */
import { foldVietnamese, normalizeVietnamese } from '../../src/nlu';
import { analyze, canonicalSyllable } from '../../src/nlu/vietnamese/analyze';
import { foldWithMap, hasDiacritics, originalSpan } from '../../src/nlu/vietnamese/fold';
import { NormalizerVi } from '../../src/nlu/vietnamese/nlpjs-plugins';
import { SHORT_FORMS } from '../../src/nlu/vietnamese/short-forms';

describe('foldVietnamese', () => {
  it.each([
    ['Đăng Ký Khai Sinh', 'dang ky khai sinh'],
    ['  lệ   phí\tbao\nnhiêu ', 'le phi bao nhieu'],
    ['ĐƯỢC', 'duoc'],
    ['Ðăng ký', 'dang ky'], // U+00D0 (eth) typed for Đ by some legacy keyboards
    ['giấy tờ, gì?', 'giay to, gi?'], // punctuation is the caller's business
  ])('%j -> %j', (input, expected) => {
    expect(foldVietnamese(input)).toBe(expected);
  });

  it('treats old and new tone placement alike', () => {
    expect(foldVietnamese('hoà')).toBe(foldVietnamese('hòa'));
    expect(foldVietnamese('thuý')).toBe(foldVietnamese('thúy'));
    expect(foldVietnamese('khoẻ')).toBe(foldVietnamese('khỏe'));
    expect(foldVietnamese('hoà')).toBe('hoa');
  });

  it('treats decomposed (NFD) input like composed (NFC) input', () => {
    const nfd = 'Kết hôn'.normalize('NFD');
    expect(nfd).not.toBe('Kết hôn');
    expect(foldVietnamese(nfd)).toBe('ket hon');
  });
});

describe('hasDiacritics', () => {
  it('sees tone marks, vowel marks and đ', () => {
    expect(hasDiacritics('mai')).toBe(false);
    expect(hasDiacritics('mãi')).toBe(true);
    expect(hasDiacritics('đi')).toBe(true);
    expect(hasDiacritics('hoa'.normalize('NFD'))).toBe(false);
  });
});

describe('foldWithMap', () => {
  it('maps folded spans back to the typed text, NFD input included', () => {
    const typed = `Mai ${'chiều'.normalize('NFD')} nhé`;
    const folded = foldWithMap(typed);
    expect(folded.text).toBe('mai chieu nhe');
    const from = folded.text.indexOf('chieu');
    const span = originalSpan(folded, from, from + 'chieu'.length);
    expect(typed.slice(span.start, span.end)).toBe('chiều'.normalize('NFD'));
  });
});

describe('normalizeVietnamese', () => {
  it('folds, lower-cases and drops punctuation', () => {
    expect(normalizeVietnamese('Lệ phí ĐĂNG KÝ kết hôn???')).toBe('le phi dang ki ket hon');
  });

  it('spells final i/y one way ("ký"/"kí", "lý"/"lí", "quy"/"qui")', () => {
    expect(normalizeVietnamese('đăng kí')).toBe(normalizeVietnamese('đăng ký'));
    expect(normalizeVietnamese('lí lịch')).toBe(normalizeVietnamese('lý lịch'));
    expect(canonicalSyllable('quy')).toBe('qui');
    // "y" alone (y tế) and "uy"/"ay" endings are other vowels, not the i/y spelling choice.
    expect(canonicalSyllable('y')).toBe('y');
    expect(canonicalSyllable('tay')).toBe('tay');
    expect(canonicalSyllable('thuy')).toBe('thuy');
  });

  it.each([
    ['đk khai sinh', 'dang ki khai sinh'],
    ['dk ket hon', 'dang ki ket hon'],
    ['co dc ko', 'co duoc khong'],
    ['k biết', 'khong biet'],
    ['hok bít', 'khong biet'],
    ['khum', 'khong'],
    ['cần j', 'can gi'],
    ['mất bn tiền', 'mat bao nhieu tien'],
    ['tks ad', 'cam on admin'],
    ['thanks', 'cam on'],
    ['thank you', 'cam on you'],
    ['làm ntn', 'lam nhu the nao'],
    ['sao z', 'sao vay'],
    ['là sao v', 'la sao vay'],
    ['mk muốn hỏi', 'minh muon hoi'],
    ['mik hỏi', 'minh hoi'],
    ['e hỏi', 'em hoi'],
    ['sdt của e', 'so dien thoai cua em'],
    ['sđt', 'so dien thoai'],
    ['xin gp', 'xin giay phep'],
    ['gcn attp', 'giay chung nhan attp'],
    ['tthc', 'thu tuc hanh chinh'],
    ['đkkd', 'dang ki kinh doanh'],
    ['dkkd', 'dang ki kinh doanh'],
    ['hs gồm', 'ho so gom'],
    ['tg xử lý', 'thoi gian xu li'],
    ['ng nhà', 'nguoi nha'],
    ['bh xong', 'bao gio xong'],
    ['nt cho e', 'nhan tin cho em'],
  ])('expands %j -> %j', (input, expected) => {
    expect(normalizeVietnamese(input)).toBe(expected);
  });

  it('keeps cmnd, cccd and the ambiguous "a" as typed', () => {
    expect(normalizeVietnamese('cmnd hay cccd')).toBe('cmnd hay cccd');
    expect(normalizeVietnamese('a ơi')).toBe('a oi');
  });

  it('reads short forms in context', () => {
    expect(normalizeVietnamese('đủ đk kinh doanh')).toBe('du dieu kien kinh doanh');
    expect(normalizeVietnamese('phí 50 k')).toBe('phi 50 nghin');
    expect(normalizeVietnamese('v là sao')).toBe('v la sao'); // "v" is "vậy" only at the end
    expect(normalizeVietnamese('ê bot')).toBe('e bot'); // "ê" is not the short form "e" (em)
  });

  it('has no duplicated spelling in the short-form table', () => {
    const forms = SHORT_FORMS.flatMap((e) => e.forms);
    expect(new Set(forms).size).toBe(forms.length);
  });

  it('is what the nlp.js plugin returns', () => {
    expect(new NormalizerVi().normalize('Đk KS ntn?')).toBe('dang ki ks nhu the nao');
  });
});

describe('analyze', () => {
  it('gives every syllable the span of the word it came from', () => {
    const text = 'Lệ phí đkkd?';
    const syllables = analyze(text);
    expect(syllables.map((s) => s.text)).toEqual(['le', 'phi', 'dang', 'ki', 'kinh', 'doanh']);
    const last = syllables[syllables.length - 1]!;
    expect(text.slice(last.start, last.end)).toBe('đkkd');
    expect(text.slice(syllables[0]!.start, syllables[0]!.end)).toBe('Lệ');
  });
});
