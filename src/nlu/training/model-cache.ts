/**
 * The trained intent model, cached on disk as `<cacheDir>/nlu-model-<key>.json`. The key is a hash
 * of everything training depends on: the NLU code version, the intent files' bytes, and the
 * procedure names and aliases (they decide what gets replaced by the placeholder before training).
 * Any change gives a new key, hence a retrain; nothing is ever "updated in place".
 */
import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcedureRef } from '../types';

/**
 * A fingerprint of the NLU's own code (every file under src/nlu): a change to the normaliser, short
 * forms, tokeniser or placeholders changes what the classifier sees, so it must retrain — without
 * anyone having to remember to bump a version by hand.
 */
function codeFingerprint(dir = path.resolve(__dirname, '..')): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(entry.name)) hash.update(entry.name).update(readFileSync(full));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

export const NLU_MODEL_VERSION = codeFingerprint();

const PREFIX = 'nlu-model-';
const SUFFIX = '.json';

/** The cache key (hex) for this code version, training data and procedure list. */
export function modelCacheKey(sources: readonly (readonly [string, string])[], procedures: readonly ProcedureRef[]): string {
  const refs = [...procedures]
    .map((p) => [p.slug, p.name, [...p.aliases].sort()] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify({ version: NLU_MODEL_VERSION, sources, refs }))
    .digest('hex')
    .slice(0, 32);
}

/** Path of the cached model for `key`. */
export function modelCachePath(cacheDir: string, key: string): string {
  return path.join(cacheDir, `${PREFIX}${key}${SUFFIX}`);
}

interface CachedModelFile {
  readonly key: string;
  readonly model: unknown;
}

/**
 * The cached model for `key`, or null when there is none or it is unreadable (a half-written or
 * corrupted file is treated as missing: the caller retrains and overwrites it).
 */
export async function readCachedModel(cacheDir: string, key: string): Promise<unknown> {
  let content: string;
  try {
    content = await fs.readFile(modelCachePath(cacheDir, key), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(content) as Partial<CachedModelFile>;
    return parsed.key === key && parsed.model !== undefined ? parsed.model : null;
  } catch {
    return null;
  }
}

/**
 * Stores the model for `key` (write to a temporary file, then rename, so a concurrent reader never
 * sees half a file) and removes models of other keys, which can no longer be used.
 */
export async function writeCachedModel(cacheDir: string, key: string, model: unknown): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const target = modelCachePath(cacheDir, key);
  const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
  const body: CachedModelFile = { key, model };
  await fs.writeFile(temporary, JSON.stringify(body));
  await fs.rename(temporary, target);
  const stale = (await fs.readdir(cacheDir)).filter(
    (f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX) && f !== path.basename(target),
  );
  // Another process may be pruning too: a file already gone is fine.
  await Promise.all(stale.map((f) => fs.rm(path.join(cacheDir, f), { force: true })));
}
