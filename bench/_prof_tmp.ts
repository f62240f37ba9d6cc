import { Client } from 'pg';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateDatabase, openPostgres } from '../src/db';
import { loadTranslator } from '../src/i18n';
import { createZaloPolicy } from '../src/channels/zalo';
import { loadLadders, planDueReminders } from '../src/licences/reminders';
async function main() {
  const url = 'postgres://postgres@127.0.0.1:5432/postgres';
  const c = new Client({ connectionString: url }); await c.connect(); await c.query('drop database if exists tlmc_prof_h5'); await c.query('create database tlmc_prof_h5'); await c.end();
  const u = 'postgres://postgres@127.0.0.1:5432/tlmc_prof_h5';
  const d = await openPostgres(u); await migrateDatabase(d, u);
  await d.query(`insert into licences (number, procedure_slug, holder_name, phone, expires_on, source)
     select 'L' || g, 'x', 'h ' || g, case when g % 10 < 8 then '09' || lpad(g::text, 8, '0') end, '2027-03-01'::date - 1 + (g % 62), 'import' from generate_series(1, 100000) g`);
  const i18n = loadTranslator(path.resolve('locales'));
  const ladders = await loadLadders(d.db, [60,30,7,1,-1]);
  let last = performance.now(); const times: number[] = [];
  await planDueReminders({ db: d.db, i18n, ladders, routing: { policies: { zalo: createZaloPolicy() }, znsTemplateId: 't' }, now: new Date('2027-03-01T08:00:00+07:00'),
    onBatch: () => { const n = performance.now(); times.push(n - last); last = n; } });
  const chunks = [];
  for (let i = 0; i < times.length; i += 20) chunks.push(Math.round(times.slice(i, i + 20).reduce((a, b) => a + b, 0) / Math.min(20, times.length - i)));
  console.log('avg ms per batch, by 20 batches:', chunks.join(' '));
  await d.close();
  const c2 = new Client({ connectionString: url }); await c2.connect(); await c2.query('drop database if exists tlmc_prof_h5 with (force)'); await c2.end();
}
main();
