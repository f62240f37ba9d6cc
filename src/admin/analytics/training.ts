/**
 * Adds a citizen's question to the NLU's training data: `intents/<intent>.json`, the files the NLU
 * trains from (its model cache is keyed on their bytes, so the next start retrains). The file keeps
 * its formatting (indentation, key order, final newline) so a reviewer sees a one-line diff, and it
 * is replaced atomically (temp file + rename): a crash mid-write never leaves half a JSON file that
 * would stop the NLU from starting.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyedMutex } from '../../http/keyed-mutex';

const intentFileSchema = z.object({
  intent: z.string().min(1),
  description: z.string().optional(),
  utterances: z.array(z.string()),
});

export interface IntentFile {
  intent: string;
  /** File name inside the intents folder. */
  file: string;
  utterances: string[];
}

/** Longest example accepted: training examples are questions, not letters. */
export const MAX_UTTERANCE_LENGTH = 300;

/** NFC, single spaces, trimmed: how an example is written to the file. */
export function cleanUtterance(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Two examples are the same when they differ only by case, spacing or Unicode form. */
const sameKey = (text: string) => cleanUtterance(text).toLowerCase();

/** Every intent file of `dir`, by intent name. Files that are not intent files are skipped. */
export async function readIntentFiles(dir: string): Promise<IntentFile[]> {
  const names = (await fs.readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const out: IntentFile[] = [];
  for (const file of names) {
    const parsed = intentFileSchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')));
    if (parsed.success) out.push({ intent: parsed.data.intent, file, utterances: parsed.data.utterances });
  }
  return out.sort((a, b) => a.intent.localeCompare(b.intent));
}

export type AppendResult =
  | { status: 'added'; intent: string; file: string; before: number; after: number }
  | { status: 'present'; intent: string }
  | { status: 'otherIntent'; intent: string }
  | { status: 'unknownIntent' };

/** Writes of one folder run one at a time: two officials adding at once must not lose an example. */
const writes = new KeyedMutex();

/**
 * Appends `text` to the utterances of `intent` in `dir`. Nothing is written when the text is
 * already an example of that intent (`present`) or of another one (`otherIntent`: the same example
 * under two intents would teach the classifier a contradiction). `beforeWrite` runs just before the
 * file is replaced (the caller records its audit entry there): if it throws, nothing is written.
 */
export async function appendUtterance(
  dir: string,
  intent: string,
  text: string,
  beforeWrite?: (change: { intent: string; file: string; utterance: string; before: number; after: number }) => Promise<void>,
): Promise<AppendResult> {
  const utterance = cleanUtterance(text);
  return writes.run(path.resolve(dir), async () => {
    const files = await readIntentFiles(dir);
    const target = files.find((f) => f.intent === intent);
    if (!target) return { status: 'unknownIntent' };
    const key = sameKey(utterance);
    const holder = files.find((f) => f.utterances.some((u) => sameKey(u) === key));
    if (holder) return holder.intent === intent ? { status: 'present', intent } : { status: 'otherIntent', intent: holder.intent };

    const file = path.join(dir, target.file);
    const original = await fs.readFile(file, 'utf8');
    const json = JSON.parse(original) as { utterances: string[] };
    const before = json.utterances.length;
    json.utterances.push(utterance);
    await beforeWrite?.({ intent, file: target.file, utterance, before, after: json.utterances.length });
    await writeAtomically(file, formatLike(original, json));
    return { status: 'added', intent, file: target.file, before, after: json.utterances.length };
  });
}

/** JSON laid out like `original`: same indentation unit and the same (absent or present) final newline. */
export function formatLike(original: string, value: unknown): string {
  const indent = /^\{\r?\n([ \t]+)"/.exec(original)?.[1] ?? '  ';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const body = JSON.stringify(value, null, indent).replace(/\n/g, eol);
  return /\r?\n$/.test(original) ? body + eol : body;
}

/** Replaces `file` in one step: readers see the old bytes or the new ones, never a partial file. */
async function writeAtomically(file: string, content: string): Promise<void> {
  // Same folder (rename is atomic only within a file system); not `.json`, so the NLU never loads it.
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, file);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}
