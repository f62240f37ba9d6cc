/**
 * fast-check arbitraries for hostile input: text that has broken real systems (NUL, lone UTF-16
 * surrogates, zero-width and right-to-left marks, emoji sequences, combining marks, markup and
 * formula payloads), huge strings, deep JSON, and mutations of real values into wrong types.
 */
import fc from 'fast-check';

/** Pieces that are each known trouble somewhere: databases, HTML, spreadsheets, terminals, regexes. */
export const NASTY_PIECES = [
  '\u0000', // PostgreSQL text and jsonb refuse it
  '\ud800', // lone high surrogate: not encodable as UTF-8
  '\udfff', // lone low surrogate
  '\u200b', // zero-width space
  '\u200d', // zero-width joiner
  '\ufeff', // byte-order mark inside text
  '\u2060', // word joiner
  '\u202e', // right-to-left override
  '\u200f', // right-to-left mark
  'مرحبا بالعالم', // Arabic (RTL)
  'שלום', // Hebrew (RTL)
  '👨‍👩‍👧‍👦', // emoji ZWJ sequence
  '🇻🇳',
  'e\u0301\u0323', // combining marks (NFD Vietnamese)
  'Đăng ký khai sinh',
  'dang ky ket hon',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'",
  '"',
  '&amp;&lt;',
  '</textarea><b>',
  '<!--',
  '=cmd|\' /C calc\'!A0',
  '=HYPERLINK("http://x.invalid","bấm")',
  '+84',
  '-1',
  '@SUM(A1)',
  '\t=1+1',
  '\r=1+1',
  "'; drop table licences; --",
  '${process.exit()}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00%s%n',
  '\\',
  '\r\n',
  '\n',
  ' ',
  '#',
  'PROC:khai-sinh',
  '\u0085\u2028\u2029', // unusual line breaks
  '\u001b[31m', // terminal escape
];

/** One nasty piece. */
export const nastyPiece = fc.constantFrom(...NASTY_PIECES);

/** Text mixing printable graphemes, any code point and nasty pieces. */
export function hostileText(maxLength = 40): fc.Arbitrary<string> {
  const unit = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 3 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
    { weight: 2, arbitrary: nastyPiece },
  );
  return fc.array(unit, { maxLength }).map((parts) => parts.join(''));
}

/**
 * A very long text: one piece repeated to `length` characters. Kept as piece and length so a failure
 * report prints `LongText("…" x 120000)` rather than the whole text.
 */
export class LongText {
  constructor(
    readonly piece: string,
    readonly length: number,
  ) {}
  get text(): string {
    return this.piece.repeat(Math.ceil(this.length / Math.max(1, this.piece.length))).slice(0, this.length);
  }
  [fc.toStringMethod](): string {
    return `LongText(${JSON.stringify(this.piece)} x ${this.length})`;
  }
}

export function longText(min = 10_000, max = 300_000): fc.Arbitrary<LongText> {
  return fc
    .tuple(fc.oneof(nastyPiece, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 })), fc.integer({ min, max }))
    .map(([piece, length]) => new LongText(piece, length));
}

/** A person's text: usually short and hostile, sometimes very long. */
export function messageText(maxShort = 60, long: [number, number] = [5_000, 120_000]): fc.Arbitrary<string | LongText> {
  return fc.oneof({ weight: 4, arbitrary: hostileText(maxShort) }, { weight: 1, arbitrary: longText(long[0], long[1]) });
}

/** The text of a `messageText` value. */
export const textOf = (v: string | LongText): string => (typeof v === 'string' ? v : v.text);

/** A value of the wrong type for a field that expects a string or number. */
export const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(1e308),
  fc.constant(-0),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.constant({}),
  fc.constant([]),
  fc.constant(''),
);

/** JSON nested `depth` levels deep (arrays or objects), as text: parsers that recurse can fall over. */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 100, max: 50_000 }), fc.boolean())
  .map(([depth, arrays]) => (arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`));

/**
 * Replaces the value at one random path of `value` (an object or array) by `replacement`, or
 * deletes it: how a real event turns into an almost-real one.
 */
export function mutateAt(value: unknown, pathChoice: number, replacement: unknown, remove: boolean): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    if (path.length > 0) paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  if (paths.length === 0) return replacement;
  const path = paths[pathChoice % paths.length]!;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else parent[last] = replacement;
  return copy;
}

/** Up to `max` mutations of `base`: replace a field by a wrong type or hostile text, or drop it. */
export function almost<T>(base: fc.Arbitrary<T>, max = 3): fc.Arbitrary<unknown> {
  const mutation = fc.record({
    pathChoice: fc.nat(),
    replacement: fc.oneof(wrongType, hostileText(20), fc.constant(undefined)),
    remove: fc.boolean(),
  });
  return fc.tuple(base, fc.array(mutation, { maxLength: max })).map(([value, mutations]) =>
    mutations.reduce<unknown>((v, m) => mutateAt(v, m.pathChoice, m.replacement, m.remove), value),
  );
}

/** Arbitrary bytes: random, random text in odd encodings, or truncated/partly valid JSON. */
export const arbitraryBody: fc.Arbitrary<Buffer> = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((b) => Buffer.from(b)),
  hostileText(60).map((t) => Buffer.from(t, 'utf16le')),
  hostileText(60).map((t) => Buffer.from(t, 'latin1')),
  fc.json().map((j) => Buffer.from(j.slice(0, Math.max(0, j.length - 1)))),
  fc.json().map((j) => Buffer.from(j)),
  deepJsonText.map((j) => Buffer.from(j)),
  fc.constant(Buffer.alloc(0)),
);

/** Headers a client may send: missing, empty, garbage, almost-right signatures, odd content types. */
export const garbageHeader: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
  fc.stringMatching(/^(mac=|sha256=|sha1=|)[0-9a-fA-F]{0,70}$/),
  fc.constant(`mac=${'0'.repeat(64)}`),
  fc.constant(`sha256=${'f'.repeat(64)}`),
);

export const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'garbage/;;;',
);

/** Header values must be Latin-1 without CR/LF on the wire; keep what HTTP can carry. */
export function wireSafe(value: string | undefined): string | undefined {
  return value === undefined ? undefined : value.replace(/[^\x20-\x7e]/g, '');
}
