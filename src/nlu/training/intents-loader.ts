/**
 * Reads the training data: `intents/<intent>.json`, one file per intent,
 * `{"intent": "...", "description": "...", "utterances": ["...", ...]}`. The files' exact bytes are
 * kept too, because the model cache is keyed on them.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { INTENTS, type Intent } from '../types';

const intentFileSchema = z.object({
  intent: z.string().min(1),
  description: z.string().optional(),
  utterances: z.array(z.string()).min(1),
});

/** One intent's training examples. */
export interface IntentExamples {
  readonly intent: Intent;
  readonly utterances: readonly string[];
}

/** The training data and the raw bytes it came from. */
export interface IntentData {
  readonly intents: readonly IntentExamples[];
  /** `[file name, content]`, sorted by file name, for cache keys. */
  readonly sources: readonly (readonly [string, string])[];
}

const isIntent = (name: string): name is Intent => (INTENTS as readonly string[]).includes(name);

/**
 * Loads and validates every `*.json` file of `dir`. Throws, naming the file, on invalid JSON, a
 * wrong shape, or an intent that is not in {@link INTENTS} (the conversation could not handle it;
 * add it to `types.ts` first).
 */
export async function loadIntentData(dir: string): Promise<IntentData> {
  const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  if (names.length === 0) throw new Error(`no intent files (*.json) in ${dir}`);
  const sources: (readonly [string, string])[] = [];
  const byIntent = new Map<Intent, string[]>();
  for (const name of names) {
    const file = path.join(dir, name);
    const content = await fs.readFile(file, 'utf8');
    sources.push([name, content]);
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (err) {
      throw new Error(`${file}: invalid JSON (${(err as Error).message})`);
    }
    const parsed = intentFileSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    const { intent, utterances } = parsed.data;
    if (!isIntent(intent)) throw new Error(`${file}: unknown intent "${intent}" (not in src/nlu/types.ts INTENTS)`);
    const cleaned = utterances.map((u) => u.trim()).filter((u) => u !== '');
    byIntent.set(intent, [...(byIntent.get(intent) ?? []), ...cleaned]);
  }
  const intents = [...byIntent.entries()].map(([intent, utterances]) => ({ intent, utterances }));
  return { intents, sources };
}
