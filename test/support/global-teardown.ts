/** Removes what global-setup made: the PGlite dump and the PostgreSQL template database. */
import fs from 'node:fs';
import { Client } from 'pg';
import { testDatabaseUrl } from '../../src/config';
import { TEMPLATE_ENV } from './db-env';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env[TEMPLATE_ENV.tmpDir];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const url = testDatabaseUrl();
  const name = process.env[TEMPLATE_ENV.pgTemplate];
  if (url && name) {
    const admin = new Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
