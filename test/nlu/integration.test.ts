/**
 * The NLU trained on the real `intents/` and the seed knowledge base: realistic messages (half
 * without diacritics) get the right intent, procedure and entities; and the figures of the
 * report — training time, cached load time, parse time, 5-fold accuracy — are measured and
 * printed (never asserted as timings).
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNlu, type Intent, type Nlu, type ProcedureRef } from '../../src/nlu';
import { ProcedureMatcher } from '../../src/nlu/procedure-matcher';
import { crossValidate } from '../../src/nlu/training/evaluate';
import { loadIntentData } from '../../src/nlu/training/intents-loader';
import { DEFAULT_INTENT_THRESHOLD } from '../../src/nlu/understand';

const ROOT = path.join(__dirname, '..', '..');
const INTENTS_DIR = path.join(ROOT, 'intents');
const NOW = new Date('2026-11-23T10:00:00+07:00'); // Monday

/** [message, intent, procedure, datetime values] */
const MESSAGES: readonly (readonly [string, Intent, string | null, string[]])[] = [
  ['lam giay khai sinh can giay to gi', 'procedure.documents', 'khai-sinh', []],
  ['lệ phí đăng ký kết hôn bao nhiêu', 'procedure.fee', 'ket-hon', []],
  ['dk thuong tru mat bao lau', 'procedure.duration', 'thuong-tru', []],
  ['hello ad', 'greeting', null, []],
  ['hôm nay trời mưa không', 'none', null, ['2026-11-23']],
  ['cho hỏi làm giấy khai sinh cho bé cần mang theo những gì', 'procedure.documents', 'khai-sinh', []],
  ['ket hon mat phi ko ad', 'procedure.fee', 'ket-hon', []],
  ['làm hộ kinh doanh thì nộp hồ sơ ở đâu', 'procedure.where', 'ho-kinh-doanh', []],
  ['attp nop online duoc ko', 'procedure.online', 'attp', []],
  ['xin giay phep xay dung thi lam nhung buoc nao', 'procedure.steps', 'cap-phep-xay-dung', []],
  ['bên mình giải quyết được những thủ tục gì', 'procedure.list', null, []],
  ['mai 9h sáng em muốn đặt lịch thẩm định cửa hàng thuốc bvtv', 'appraisal.book', 'buon-ban-thuoc-bvtv', ['2026-11-24T09:00']],
  ['doi lich tham dinh sang thu 3 tuan sau', 'appraisal.reschedule', null, ['2026-12-01']],
  ['huy lich tham dinh giup em', 'appraisal.cancel', null, []],
  ['lich tham dinh cua em sao roi', 'appraisal.status', null, []],
  ['giay phep bvtv cua toi bao gio het han', 'licence.expiry', 'buon-ban-thuoc-bvtv', []],
  ['nhac em truoc khi het han giay phep nhe', 'reminder.subscribe', null, []],
  ['dung nhan tin nhac nua', 'reminder.unsubscribe', null, []],
  ['sáng thứ 7 bộ phận một cửa có mở cửa không', 'office.hours', null, ['2026-11-28']],
  ['danh gia 5 sao', 'feedback.rate', null, []],
  ['cho em gặp cán bộ trực tiếp', 'handoff.human', null, []],
  ['cảm ơn em nhiều nhé', 'thanks', null, []],
  ['thoi minh off day, bye ad', 'goodbye', null, []],
  ['bạn có biết nấu ăn không', 'none', null, []],
];

/** Figures for the report, printed once at the end. */
const figures: Record<string, string> = {};
const ms = (x: number): string => `${x.toFixed(1)} ms`;

let cacheDir: string;
let procedures: ProcedureRef[];
let nlu: Nlu;

beforeAll(async () => {
  cacheDir = await fs.mkdtemp(path.join(os.tmpdir(), 'nlu-integration-'));
  const seed = JSON.parse(await fs.readFile(path.join(ROOT, 'data', 'seed', 'knowledge-base.json'), 'utf8')) as {
    procedures: ProcedureRef[];
  };
  procedures = seed.procedures.map(({ slug, name, aliases }) => ({ slug, name, aliases }));
  const trained = await createNlu({ intentsDir: INTENTS_DIR, cacheDir, procedures });
  expect(trained.fromCache).toBe(false);
  figures['training (cold, incl. loading files)'] = ms(trained.trainingMs);
  nlu = await createNlu({ intentsDir: INTENTS_DIR, cacheDir, procedures });
  expect(nlu.fromCache).toBe(true);
  figures['cached model load'] = ms(nlu.trainingMs);
});

afterAll(async () => {
  await fs.rm(cacheDir, { recursive: true, force: true });
  const lines = Object.entries(figures).map(([k, v]) => `  ${k}: ${v}`);
  process.stderr.write(`\nNLU figures\n${lines.join('\n')}\n`);
});

describe('NLU on intents/ and the seed knowledge base', () => {
  it.each(MESSAGES)('%j -> %s / %s', async (text, intent, procedure, datetimes) => {
    const p = await nlu.parse(text, NOW);
    expect({ intent: p.intent, procedure: p.procedure }).toEqual({ intent, procedure });
    expect(p.entities.filter((e) => e.type === 'datetime').map((e) => e.value)).toEqual(datetimes);
  });

  it('has half of its test messages without diacritics', () => {
    const bare = MESSAGES.filter(([t]) => t === t.normalize('NFD').replace(/[\u0300-\u036f]/g, '') && !/đ/i.test(t));
    expect(bare.length * 2).toBeGreaterThanOrEqual(MESSAGES.length);
  });

  it('parses quickly enough to measure', async () => {
    const rounds = 5;
    const started = performance.now();
    for (let r = 0; r < rounds; r += 1) for (const [text] of MESSAGES) await nlu.parse(text, NOW);
    const per = (performance.now() - started) / (rounds * MESSAGES.length);
    figures['parse, mean per message'] = ms(per);
    expect(per).toBeGreaterThan(0);
  });

  it('classifies held-out utterances well (5-fold cross-validation)', async () => {
    const data = await loadIntentData(INTENTS_DIR);
    const result = await crossValidate(data.intents, new ProcedureMatcher(procedures), 5, DEFAULT_INTENT_THRESHOLD);
    figures['5-fold accuracy'] = `${(result.accuracy * 100).toFixed(1)} % (${result.correct}/${result.total})`;
    const weakest = Object.entries(result.byIntent).sort((a, b) => a[1] - b[1]).slice(0, 3);
    figures['weakest intents'] = weakest.map(([i, a]) => `${i} ${(a * 100).toFixed(0)} %`).join(', ');
    // A floor, not a target: a drop below it means the data or the pipeline broke something.
    expect(result.accuracy).toBeGreaterThan(0.88);
  });
});
