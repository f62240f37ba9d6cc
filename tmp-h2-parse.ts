import fs from 'node:fs';
import { createNlu } from './src/nlu';
import { parseKnowledgeBase, toProcedureRef } from './src/procedures';
(async () => {
  const kb = parseKnowledgeBase(fs.readFileSync('data/seed/knowledge-base.json', 'utf8'), 'json') as any;
  const procs = (kb.procedures ?? kb.value?.procedures ?? kb.data?.procedures);
  const nlu = await createNlu({ intentsDir: 'intents', cacheDir: '/tmp/tlmc-test-nlu-cache', procedures: procs.map(toProcedureRef) });
  for (const t of process.argv.slice(2)) { const p = await nlu.parse(t, new Date('2026-11-23T03:00:00Z')); console.log(t, '|', p.intent, p.score.toFixed(2), p.procedure, JSON.stringify(p.entities), JSON.stringify(p.intents?.slice(0,3))); }
})();
