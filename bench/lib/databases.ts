/**
 * The databases a bench runs on: PGlite in process, and a scratch PostgreSQL database when
 * TEST_DATABASE_URL is set. Kept apart from common.ts so the NLU benches, which need no database,
 * do not load the drivers (their peak memory is one of their figures).
 */
import { testDatabaseUrl } from '../../src/config';
import { migrateDatabase, openPglite, openPostgres, type Database } from '../../src/db';
import { createScratchDatabase } from './load/scratch-database';

/** A database a bench runs on, opened migrated and empty; `close` drops whatever it created. */
export interface BenchDatabase {
  readonly label: string;
  readonly kind: 'pglite' | 'postgres';
  /** Connections the bench's pool holds (1 for PGlite, which serialises everything in process). */
  readonly poolSize: number;
  open(): Promise<{ database: Database; close(): Promise<void> }>;
}

/** Size of the bench's node-postgres pool: the same as a running process's (src/db/client.ts default). */
export const BENCH_POOL_SIZE = 10;

/**
 * PGlite in memory, and a scratch database on the PostgreSQL server of TEST_DATABASE_URL when it is
 * set (bench/lib/load/scratch-database.ts: created and migrated on open, dropped on close), so the
 * server's own databases are never touched. `label` names the scratch database (`reminders`, …).
 */
export function benchDatabases(label: string): BenchDatabase[] {
  const list: BenchDatabase[] = [
    {
      label: 'PGlite (in process)',
      kind: 'pglite',
      poolSize: 1,
      async open() {
        const database = await openPglite();
        await migrateDatabase(database, undefined);
        return { database, close: () => database.close() };
      },
    },
  ];
  const url = testDatabaseUrl();
  if (!url) return list;
  list.push({
    label: 'PostgreSQL (server)',
    kind: 'postgres',
    poolSize: BENCH_POOL_SIZE,
    async open() {
      const scratch = await createScratchDatabase(url, label);
      const database = await openPostgres(scratch.url, BENCH_POOL_SIZE);
      const close = async () => {
        await database.close();
        await scratch.drop();
      };
      try {
        await migrateDatabase(database, scratch.url);
      } catch (err) {
        await close();
        throw err;
      }
      return { database, close };
    },
  });
  return list;
}
