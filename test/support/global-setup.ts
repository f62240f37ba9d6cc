/**
 * Runs once before all test files: builds a migrated database template for each driver so every
 * test file can get its own database in well under a second (a fresh PGlite takes seconds to initdb).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openPglite, openPostgres, migrateDatabase } from '../../src/db';
import { testDatabaseUrl } from '../../src/config';
import { TEMPLATE_ENV, withDatabaseName } from './db-env';

export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-jest-'));
  process.env[TEMPLATE_ENV.tmpDir] = dir;

  const pglite = await openPglite();
  await migrateDatabase(pglite);
  const client = (pglite.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  const file = path.join(dir, 'pglite-template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  process.env[TEMPLATE_ENV.pgliteDump] = file;

  const url = testDatabaseUrl();
  if (url) {
    const name = `tlmc_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const tplUrl = withDatabaseName(url, name);
    const pg = await openPostgres(tplUrl, 1);
    await migrateDatabase(pg, tplUrl);
    await pg.close();
    process.env[TEMPLATE_ENV.pgTemplate] = name;
  }
}
