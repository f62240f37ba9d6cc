/** Loads the sample knowledge base into an empty database, so `npm start` answers at once. */
import fs from 'node:fs';
import path from 'node:path';
import { importKnowledgeBase, type ImportSummary } from './import';
import type { ProcedureRepository } from './repository';

export const SAMPLE_KB_FILE = 'knowledge-base.json';

/** Imports `seedDir/knowledge-base.json` when no procedure exists yet; returns what it did. */
export async function seedSampleKnowledgeBase(
  repo: ProcedureRepository,
  seedDir: string,
): Promise<ImportSummary | null> {
  if ((await repo.count()) > 0) return null;
  const text = fs.readFileSync(path.join(seedDir, SAMPLE_KB_FILE), 'utf8');
  const summary = await importKnowledgeBase(repo, text, 'json');
  if (summary.rejected.length > 0) {
    throw new Error(`the sample knowledge base is invalid: ${JSON.stringify(summary.rejected)}`);
  }
  return summary;
}
