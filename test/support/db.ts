/**
 * Test databases (DESIGN.md §3): every suite that touches the database runs on PGlite and, when
 * `TEST_DATABASE_URL` is set, again on a real PostgreSQL server. Each test file gets its own database
 * (cloned from the migrated template), and every test starts on empty tables.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openPglite, openPostgres, type Database, type DriverKind } from '../../src/db';
import { testDatabaseUrl } from '../../src/config';
import { TEMPLATE_ENV, withDatabaseName } from './db-env';

export interface TestDatabase {
  database: Database;
  /** The connection URL on PostgreSQL (undefined on PGlite). */
  url?: string;
}

/** The drivers this run tests against. */
export function testDriverKinds(): DriverKind[] {
  return testDatabaseUrl() ? ['pglite', 'postgres'] : ['pglite'];
}

function requiredEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through jest (global-setup makes it)`);
  return v;
}

/** Opens a fresh, migrated database of the given kind. */
export async function openTestDatabase(kind: DriverKind): Promise<TestDatabase & { drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const dump = fs.readFileSync(requiredEnv(TEMPLATE_ENV.pgliteDump));
    const database = await openPglite(undefined, new Blob([dump]));
    return { database, drop: () => database.close() };
  }
  const baseUrl = testDatabaseUrl();
  if (!baseUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `tlmc_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name} template ${requiredEnv(TEMPLATE_ENV.pgTemplate)}`);
  await admin.end();
  const url = withDatabaseName(baseUrl, name);
  const database = await openPostgres(url, 5);
  return {
    database,
    url,
    async drop() {
      await database.close();
      const c = new Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** Empties every table of the application schema (migration bookkeeping stays). */
export async function truncateAll(database: Database): Promise<void> {
  const rows = await database.query<{ tablename: string }>(
    "select tablename from pg_tables where schemaname = 'public'",
  );
  if (rows.length === 0) return;
  const list = rows.map((r) => `"public"."${r.tablename}"`).join(', ');
  await database.query(`truncate ${list} restart identity cascade`);
}

/**
 * `describe` once per driver, with a database opened for the file and emptied before each test.
 * Usage: `describeEachDatabase('procedures', (getDb) => { it('…', async () => { getDb().database … }) })`.
 */
export function describeEachDatabase(name: string, body: (getDb: () => TestDatabase) => void): void {
  describe.each(testDriverKinds())(`${name} [%s]`, (kind) => {
    let current: (TestDatabase & { drop(): Promise<void> }) | undefined;
    beforeAll(async () => {
      current = await openTestDatabase(kind);
    });
    afterAll(async () => {
      await current?.drop();
    });
    beforeEach(async () => {
      if (current) await truncateAll(current.database);
    });
    body(() => {
      if (!current) throw new Error('test database not open');
      return current;
    });
  });
}
