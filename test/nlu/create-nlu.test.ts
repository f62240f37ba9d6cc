/**
 * createNlu on a small fixture: the model cache (hit, miss on any change, corrupted file),
 * intent-file validation, placeholders, setProcedures, the `none` threshold.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNlu, type NluOptions, type ProcedureRef } from '../../src/nlu';
import { loadIntentData } from '../../src/nlu/training/intents-loader';
import { modelCachePath, modelCacheKey } from '../../src/nlu/training/model-cache';

const FIXTURE_INTENTS = path.join(__dirname, 'fixtures', 'intents');
const PROCEDURES: ProcedureRef[] = [
  { slug: 'khai-sinh', name: 'Đăng ký khai sinh', aliases: ['giấy khai sinh'] },
  { slug: 'ket-hon', name: 'Đăng ký kết hôn', aliases: [] },
];
const NOW = new Date('2026-11-23T10:00:00+07:00');

let work: string;
let intentsDir: string;
let cacheDir: string;

beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'nlu-test-'));
  intentsDir = path.join(work, 'intents');
  cacheDir = path.join(work, 'cache');
  await fs.cp(FIXTURE_INTENTS, intentsDir, { recursive: true });
});

afterEach(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

const options = (extra: Partial<NluOptions> = {}): NluOptions => ({ intentsDir, cacheDir, procedures: PROCEDURES, ...extra });
const cacheFiles = async (): Promise<string[]> => (await fs.readdir(cacheDir)).filter((f) => f.startsWith('nlu-model-'));

describe('createNlu', () => {
  it('parses with the contract fields, intent ranking and procedure candidates', async () => {
    const nlu = await createNlu(options());
    const p = await nlu.parse('le phi dk khai sinh bn', NOW);
    expect(p).toMatchObject({ text: 'le phi dk khai sinh bn', intent: 'procedure.fee', procedure: 'khai-sinh', entities: [] });
    expect(p.score).toBeGreaterThan(0.5);
    expect(p.score).toBeLessThanOrEqual(1);
    expect(p.intents?.[0]).toEqual({ intent: 'procedure.fee', score: p.score });
    expect(p.procedureCandidates?.[0]?.slug).toBe('khai-sinh');
    const q = await nlu.parse('hồ sơ kết hôn cần những gì ạ', NOW);
    expect(q).toMatchObject({ intent: 'procedure.documents', procedure: 'ket-hon' });
    const r = await nlu.parse('mai 9h em nộp, sđt 0912345678', NOW);
    expect(r.entities).toEqual([
      { type: 'datetime', value: '2026-11-24T09:00', text: 'mai 9h' },
      { type: 'phone', value: '0912345678', text: '0912345678' },
    ]);
  });

  it('learns question types, not procedures: a procedure never seen with "fee" still gets "fee"', async () => {
    const nlu = await createNlu(options());
    // Training mentions khai sinh and kết hôn; both are the same placeholder to the classifier.
    expect((await nlu.parse('lệ phí đăng ký kết hôn bao nhiêu', NOW)).intent).toBe('procedure.fee');
    expect((await nlu.parse('giấy khai sinh hồ sơ gồm những gì', NOW)).intent).toBe('procedure.documents');
  });

  it('answers none for empty or unrelated text, keeping the ranking', async () => {
    const nlu = await createNlu(options());
    expect(await nlu.parse('', NOW)).toMatchObject({ intent: 'none', score: 1, procedure: null, entities: [] });
    expect(await nlu.parse('🙂 ...', NOW)).toMatchObject({ intent: 'none', score: 1 });
    expect((await nlu.parse('gia vang hom nay the nao', NOW)).intent).toBe('none');
    const strict = await createNlu(options({ intentThreshold: 1.01 }));
    const p = await strict.parse('le phi bn', NOW);
    expect(p.intent).toBe('none');
    expect(p.intents?.[0]?.intent).toBe('procedure.fee');
  });

  it('caches the trained model and reuses it', async () => {
    const infos: object[] = [];
    const first = await createNlu(options({ logger: { info: (obj) => infos.push(obj) } }));
    expect(first.fromCache).toBe(false);
    expect(first.trainingMs).toBeGreaterThanOrEqual(0);
    expect(await cacheFiles()).toHaveLength(1);
    const second = await createNlu(options({ logger: { info: (obj) => infos.push(obj) } }));
    expect(second.fromCache).toBe(true);
    expect(infos).toEqual([
      expect.objectContaining({ fromCache: false, intents: 4, utterances: 32 }),
      expect.objectContaining({ fromCache: true }),
    ]);
    // Same answers from the cached model.
    for (const text of ['le phi bn', 'can giay to gi', 'chao ad']) {
      expect(await second.parse(text, NOW)).toEqual(await first.parse(text, NOW));
    }
  });

  it('retrains when an intent file changes, and drops the stale model', async () => {
    await createNlu(options());
    const [before] = await cacheFiles();
    const file = path.join(intentsDir, 'greeting.json');
    const data = JSON.parse(await fs.readFile(file, 'utf8')) as { utterances: string[] };
    data.utterances.push('hế lô');
    await fs.writeFile(file, JSON.stringify(data));
    const changed = await createNlu(options());
    expect(changed.fromCache).toBe(false);
    const after = await cacheFiles();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before);
  });

  it('retrains when the procedure names change, not when their order does', async () => {
    await createNlu(options());
    expect((await createNlu(options({ procedures: [...PROCEDURES].reverse() }))).fromCache).toBe(true);
    const renamed = [{ ...PROCEDURES[0]!, aliases: ['giấy khai sinh', 'làm khai sinh'] }, PROCEDURES[1]!];
    expect((await createNlu(options({ procedures: renamed }))).fromCache).toBe(false);
  });

  it('treats a corrupted cache file as a miss and rewrites it', async () => {
    await createNlu(options());
    const [file] = await cacheFiles();
    await fs.writeFile(path.join(cacheDir, file!), '{"key": "tru');
    const nlu = await createNlu(options());
    expect(nlu.fromCache).toBe(false);
    expect((await nlu.parse('le phi bn', NOW)).intent).toBe('procedure.fee');
    expect((await createNlu(options())).fromCache).toBe(true);
  });

  it('keys the cache on file contents', async () => {
    const data = await loadIntentData(intentsDir);
    const key = modelCacheKey(data.sources, PROCEDURES);
    expect(modelCachePath(cacheDir, key)).toBe(path.join(cacheDir, `nlu-model-${key}.json`));
    const edited = data.sources.map(([name, content]) => [name, `${content} `] as const);
    expect(modelCacheKey(edited, PROCEDURES)).not.toBe(key);
  });

  it('takes new procedures with setProcedures, without retraining', async () => {
    const nlu = await createNlu(options());
    expect((await nlu.parse('le phi khai tu bn', NOW)).procedure).toBeNull();
    nlu.setProcedures([...PROCEDURES, { slug: 'khai-tu', name: 'Đăng ký khai tử', aliases: [] }]);
    const p = await nlu.parse('le phi khai tu bn', NOW);
    expect(p.procedure).toBe('khai-tu');
    expect(p.intent).toBe('procedure.fee');
  });

  it('rejects invalid intent files, naming the file', async () => {
    await fs.writeFile(path.join(intentsDir, 'weather.json'), JSON.stringify({ intent: 'weather', utterances: ['mưa'] }));
    await expect(createNlu(options())).rejects.toThrow(/weather\.json: unknown intent "weather"/);
    await fs.writeFile(path.join(intentsDir, 'weather.json'), '{"intent": "none", "utterances": [');
    await expect(createNlu(options())).rejects.toThrow(/weather\.json: invalid JSON/);
    await fs.writeFile(path.join(intentsDir, 'weather.json'), JSON.stringify({ intent: 'none', utterances: [] }));
    await expect(createNlu(options())).rejects.toThrow(/weather\.json/);
    await expect(createNlu(options({ intentsDir: cacheDir }))).rejects.toThrow();
  });
});
