/** Procedure matcher: names and aliases, with or without diacritics, typos, spans, live updates. */
import fs from 'node:fs';
import path from 'node:path';
import { ProcedureMatcher, type ProcedureRef } from '../../src/nlu';
import { mergedSimilarity, osaDistance, syllableSimilarity } from '../../src/nlu/procedures/similarity';

/** A small fixture, independent of the seed knowledge base. */
const FIXTURE: ProcedureRef[] = [
  { slug: 'khai-sinh', name: 'Đăng ký khai sinh', aliases: ['giấy khai sinh'] },
  { slug: 'ket-hon', name: 'Đăng ký kết hôn', aliases: ['giấy hôn thú'] },
  { slug: 'khai-tu', name: 'Đăng ký khai tử', aliases: ['chứng tử'] },
  { slug: 'thuong-tru', name: 'Đăng ký thường trú', aliases: ['hộ khẩu', 'nhập khẩu'] },
  { slug: 'attp', name: 'Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', aliases: ['attp'] },
  { slug: 'ly-lich-tu-phap', name: 'Cấp Phiếu lý lịch tư pháp', aliases: ['LLTP'] },
  { slug: 'chung-thuc', name: 'Chứng thực bản sao từ bản chính', aliases: ['chứng thực bản sao'] },
  { slug: 'xay-dung', name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ', aliases: ['giấy phép xây dựng'] },
];

const top = (m: ProcedureMatcher, text: string): string | null => m.match(text).candidates[0]?.slug ?? null;

describe('ProcedureMatcher (fixture)', () => {
  const matcher = new ProcedureMatcher(FIXTURE);

  it.each([
    ['Đăng ký khai sinh cần gì', 'khai-sinh'],
    ['dang ky khai sinh can gi', 'khai-sinh'],
    ['làm khai sinh cho con', 'khai-sinh'], // part of the name: the distinctive words are enough
    ['DK KẾT HÔN ở đâu', 'ket-hon'], // short form + upper case
    ['giay hon thu', 'ket-hon'], // alias, no diacritics
    ['làm chứng tử', 'khai-tu'],
    ['chuyen ho khau', 'thuong-tru'],
    ['thủ tục đăng kí thường trú', 'thuong-tru'], // "kí" for "ký"
    ['xin giấy attp', 'attp'],
    ['an toàn vệ sinh thực phẩm', 'attp'], // extra words inside a name
    ['phieu lltp', 'ly-lich-tu-phap'], // a short form that the normaliser expands
    ['chung thuc ban sao', 'chung-thuc'],
    ['xin phép xây dựng nhà ở riêng lẻ', 'xay-dung'], // words of the official name left out
  ])('%j -> %s', (text, slug) => {
    expect(top(matcher, text)).toBe(slug);
  });

  it.each([
    ['khai sin cho con', 'khai-sinh'], // a letter missing
    ['dang ky thuong tu', null], // "tru" -> "tu": too short a syllable to call it a typo …
    ['dang ky thuogn tru', 'thuong-tru'], // … but a transposition in a long one is
    ['khaisinh', 'khai-sinh'], // two syllables typed as one
    ['dangkyketthon', null], // three run together plus a typo: not a mention
    ['llpt', 'ly-lich-tu-phap'], // a typo in the acronym itself
  ])('typo %j -> %s', (text, slug) => {
    expect(top(matcher, text)).toBe(slug);
  });

  it.each([
    'thủ tục cần giấy gì',
    'đăng ký ở đâu',
    'giấy chứng nhận đủ điều kiện',
    'cấp giấy',
    'thu tuc hanh chinh',
    'cho em hoi ve ho so',
    'an toàn không', // two words of a long name are not a reference to it
    'xây nhà', // nor are two out of its five distinctive words
    'hôm nay trời mưa không',
  ])('generic words alone match nothing: %j', (text) => {
    expect(matcher.match(text).candidates).toEqual([]);
  });

  it('scores an exact name or alias 1 and a partial one lower', () => {
    expect(matcher.match('giấy khai sinh').candidates[0]).toEqual({ slug: 'khai-sinh', score: 1 });
    const partial = matcher.match('làm khai sinh').candidates[0]!;
    expect(partial.slug).toBe('khai-sinh');
    expect(partial.score).toBeLessThan(1);
    expect(partial.score).toBeGreaterThan(0.6);
    expect(matcher.match('khai sin').candidates[0]!.score).toBeLessThan(partial.score);
  });

  it('reports spans in the original text and replaces them', () => {
    const text = 'Lệ phí ĐK kết hôn bn?';
    const { mentions } = matcher.match(text);
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatchObject({ slug: 'ket-hon', text: 'ĐK kết hôn' });
    expect(text.slice(mentions[0]!.start, mentions[0]!.end)).toBe('ĐK kết hôn');
    expect(matcher.replaceMentions(text, 'thutuc')).toBe('Lệ phí  thutuc  bn?');
  });

  it('finds every procedure of a message, longer matches ranked first on a tie', () => {
    const { candidates, mentions } = matcher.match('chứng thực bản sao giấy khai sinh');
    expect(candidates.map((c) => c.slug)).toEqual(['chung-thuc', 'khai-sinh']);
    expect(mentions.map((m) => m.text)).toEqual(['chứng thực bản sao', 'giấy khai sinh']);
    expect(matcher.replaceMentions('ket hon va khai sinh', 'X')).toBe(' X  va  X ');
  });

  it('takes new procedures at once with setProcedures', () => {
    const live = new ProcedureMatcher(FIXTURE);
    expect(top(live, 'cấp đổi giấy phép lái xe')).toBeNull();
    live.setProcedures([...FIXTURE, { slug: 'gplx', name: 'Cấp đổi giấy phép lái xe', aliases: ['đổi bằng lái'] }]);
    expect(top(live, 'cấp đổi giấy phép lái xe')).toBe('gplx');
    expect(top(live, 'doi bang lai xe')).toBe('gplx');
    live.setProcedures([]);
    expect(live.match('khai sinh').candidates).toEqual([]);
  });
});

describe('syllable similarity', () => {
  it('measures slips', () => {
    expect(osaDistance('thuong', 'thuong')).toBe(0);
    expect(osaDistance('thuogn', 'thuong')).toBe(1); // transposition
    expect(osaDistance('sin', 'sinh')).toBe(1);
    expect(osaDistance('khai', 'khau')).toBe(1);
    expect(osaDistance('', 'abc')).toBe(3);
  });

  it('forgives only slips that are unlikely to be another word', () => {
    expect(syllableSimilarity('sin', 'sinh')).toBeGreaterThan(0);
    expect(syllableSimilarity('khai', 'khau')).toBe(0); // khẩu: a different word
    expect(syllableSimilarity('tu', 'tru')).toBe(0);
    expect(syllableSimilarity('llpt', 'lltp')).toBeGreaterThan(0);
    expect(syllableSimilarity('12', '13')).toBe(0);
    expect(mergedSimilarity('khaisinh', 'khai', 'sinh')).toBe(1);
    expect(mergedSimilarity('khaisin', 'khai', 'sinh')).toBeGreaterThan(0);
    expect(mergedSimilarity('khai', 'khai', 'sinh')).toBe(0);
  });
});

const SEED = path.join(__dirname, '..', '..', 'data', 'seed', 'knowledge-base.json');

describe('ProcedureMatcher on the seed knowledge base', () => {
  const seed = JSON.parse(fs.readFileSync(SEED, 'utf8')) as { procedures: ProcedureRef[] };
  const matcher = new ProcedureMatcher(seed.procedures.map(({ slug, name, aliases }) => ({ slug, name, aliases })));

  it('knows every slug of DESIGN.md §4.5 by its own name', () => {
    for (const p of seed.procedures) expect(top(matcher, p.name)).toBe(p.slug);
  });

  it('knows every alias, with and without diacritics', () => {
    for (const p of seed.procedures) {
      for (const alias of p.aliases) {
        expect([alias, top(matcher, alias)]).toEqual([alias, p.slug]);
        const bare = alias.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd');
        expect([bare, top(matcher, bare)]).toEqual([bare, p.slug]);
      }
    }
  });

  it.each([
    ['lam giay khai sinh can giay to gi', 'khai-sinh'],
    ['lệ phí đăng ký kết hôn bao nhiêu', 'ket-hon'],
    ['dk thuong tru mat bao lau', 'thuong-tru'],
    ['mở quán phở cần giấy attp không', 'attp'],
    ['đkkd hộ cá thể ở đâu', 'ho-kinh-doanh'],
    ['ban thuoc tru sau can giay gi', 'buon-ban-thuoc-bvtv'],
    ['tro cap nguoi gia bao nhieu 1 thang', 'tro-cap-xa-hoi'],
    ['xin phep xay nha mat bao lau', 'cap-phep-xay-dung'],
    ['giấy xác nhận khuyết tật làm ở đâu', 'xac-nhan-khuyet-tat'],
    ['photo cong chung het bao nhieu', 'chung-thuc-ban-sao'],
  ])('%j -> %s', (text, slug) => {
    expect(top(matcher, text)).toBe(slug);
  });

  it.each(['hello ad', 'đăng ký ở đâu ạ', 'giấy tờ cần những gì', 'mất bao lâu', 'hồ sơ nộp online được không'])(
    'no procedure in %j',
    (text) => {
      expect(matcher.match(text).candidates).toEqual([]);
    },
  );
});
