/**
 * Text fitting for the Send API's limits: long answers are split at line boundaries (a procedure's
 * document list must not be cut mid-item), titles are shortened with an ellipsis, and no cut ever
 * falls inside a grapheme (a Vietnamese letter with its tone mark, an emoji, a surrogate pair).
 *
 * Lengths are JavaScript string lengths (UTF-16 code units). That is never less than the number of
 * code points or characters Meta may count, so a piece that fits here fits there; text is NFC-normalised
 * first, so "ệ" is one unit, not three.
 */

/** Send API: `message.text` "must be UTF-8 and less than 2000 characters" (Send API reference). */
export const TEXT_LIMIT = 2000;
/** Button template: "UTF-8-encoded text of up to 640 characters" (Button template reference). */
export const BUTTON_TEMPLATE_TEXT_LIMIT = 640;
/** Quick reply and button titles: 20 characters (Quick replies / Postback button references). */
export const TITLE_LIMIT = 20;

const ELLIPSIS = '\u2026';
const segmenter = new Intl.Segmenter('vi', { granularity: 'grapheme' });

/** Grapheme start offsets of `text`, plus `text.length`. */
function boundaries(text: string): number[] {
  const out: number[] = [];
  for (const s of segmenter.segment(text)) out.push(s.index);
  out.push(text.length);
  return out;
}

function boundaryAtOrBefore(text: string, index: number): number {
  let best = 0;
  for (const b of boundaries(text)) {
    if (b > index) break;
    best = b;
  }
  return best;
}

function boundaryAtOrAfter(text: string, index: number): number {
  for (const b of boundaries(text)) if (b >= index) return b;
  return text.length;
}

/** Last index of a character matching `re` in `text[from..to]` (inclusive), or -1. */
function lastMatch(text: string, re: RegExp, from: number, to: number): number {
  for (let i = Math.min(to, text.length - 1); i >= from; i--) if (re.test(text.charAt(i))) return i;
  return -1;
}

function firstMatch(text: string, re: RegExp, from: number, to: number): number {
  for (let i = Math.max(from, 0); i <= to && i < text.length; i++) if (re.test(text.charAt(i))) return i;
  return -1;
}

const NEWLINE = /\n/;
const SPACE = /\s/;

/**
 * Splits `text` into pieces of at most `limit` units, cutting (in order of preference) at a line break
 * in the second half of the window, at a space in the second half, at any line break or space, and
 * only then inside a word (on a grapheme boundary). The separator at a cut is dropped; pieces are
 * trimmed at the cut and empty pieces omitted.
 */
export function splitText(text: string, limit: number = TEXT_LIMIT): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  const pieces: string[] = [];
  let rest = text.normalize('NFC');
  while (rest.length > limit) {
    const half = Math.floor(limit / 2);
    // A separator at index `limit` is fine too: the piece before it is exactly `limit` long.
    let cut = lastMatch(rest, NEWLINE, half, limit);
    if (cut < 0) cut = lastMatch(rest, SPACE, half, limit);
    if (cut < 0) cut = lastMatch(rest, NEWLINE, 1, limit);
    if (cut < 0) cut = lastMatch(rest, SPACE, 1, limit);
    let next: number;
    if (cut < 0) {
      cut = boundaryAtOrBefore(rest, limit);
      if (cut === 0) cut = limit; // a single grapheme longer than the limit: nothing better exists
      next = cut;
    } else {
      next = cut + 1;
    }
    const atLineBreak = rest.charAt(cut) === '\n';
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    // Blank lines after a cut are dropped; indentation is kept only where a new line starts.
    rest = rest.slice(next).replace(/^\s*\n/, '');
    if (!atLineBreak) rest = rest.replace(/^[^\S\n]+/, '');
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

/**
 * Splits `text` into a `head` and a `tail` of at most `limit` units, the tail as long as possible and
 * starting at a line break (or a space, or a grapheme boundary): the tail is what a button template
 * carries, the head goes out first as plain text. `head` is '' when the whole text fits.
 */
export function splitTail(text: string, limit: number): { head: string; tail: string } {
  const t = text.normalize('NFC');
  if (t.length <= limit) return { head: '', tail: t };
  const start = t.length - limit - 1; // a separator here leaves a tail of exactly `limit`
  const halfEnd = t.length - Math.ceil(limit / 2) - 1;
  let cut = firstMatch(t, NEWLINE, start, halfEnd);
  if (cut < 0) cut = firstMatch(t, SPACE, start, halfEnd);
  if (cut < 0) cut = firstMatch(t, NEWLINE, start, t.length - 2);
  if (cut < 0) cut = firstMatch(t, SPACE, start, t.length - 2);
  if (cut < 0) {
    const at = boundaryAtOrAfter(t, start + 1);
    return { head: t.slice(0, at).trimEnd(), tail: t.slice(at) };
  }
  return { head: t.slice(0, cut).trimEnd(), tail: t.slice(cut + 1).trimStart() };
}

/**
 * Fits a title into `limit` units: NFC, whitespace collapsed, and when too long cut on a grapheme
 * boundary with a trailing ellipsis (so "Giấy chứng nhận đủ điều kiện" becomes "Giấy chứng nhận đủ…").
 */
export function fitTitle(title: string, limit: number = TITLE_LIMIT): string {
  const t = title.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (t.length <= limit) return t;
  const cut = boundaryAtOrBefore(t, limit - ELLIPSIS.length);
  return t.slice(0, cut).trimEnd() + ELLIPSIS;
}
