/**
 * Opens the database: embedded PGlite (real PostgreSQL in WebAssembly) when no URL is configured,
 * node-postgres with a pool otherwise. Both are handed out as the same Drizzle `Db` type, so no
 * component knows which one it runs on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { btree_gist as BtreeGist } from '@electric-sql/pglite/contrib/btree_gist' with { 'resolution-mode': 'import' };
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { Pool, type PoolClient } from 'pg';
import * as schema from './schema';
import { lockDataDir } from './lock';

export type Schema = typeof schema;
/** The one database type every component uses (both drivers extend `PgDatabase`). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DriverKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DriverKind;
  /** Runs a plain SQL statement (used by migrations and health checks). */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs a hot statement that PostgreSQL prepares once per connection under `name` and then only
   * executes: parsing and planning a statement on every call was half the server's CPU for a
   * one-row insert. `name` must always go with the same `text`. PGlite, in-process, runs it as a
   * plain query.
   */
  preparedQuery<T = Record<string, unknown>>(name: string, text: string, params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** Extensions loaded into PGlite; the server needs the same ones installed (`btree_gist` ships with PostgreSQL). */
// The package types its contrib modules as ESM only, but ships a CommonJS build beside them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { btree_gist } = require('@electric-sql/pglite/contrib/btree_gist') as { btree_gist: typeof BtreeGist };
const pgliteExtensions = { btree_gist };

/** Opens PGlite in `dir` (created when missing), or in memory when `dir` is undefined; `loadDataDir` clones a dump. */
export async function openPglite(dir?: string, loadDataDir?: Blob): Promise<Database> {
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const client = new PGlite({ dataDir: dir, extensions: pgliteExtensions, loadDataDir });
  await client.waitReady;
  return {
    db: drizzlePglite(client, { schema }) as unknown as Db,
    kind: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      const res = await client.query<T>(text, params);
      return res.rows;
    },
    async preparedQuery<T>(_name: string, text: string, params: unknown[]) {
      const res = await client.query<T>(text, params);
      return res.rows;
    },
    close: () => client.close(),
  };
}

/**
 * Gives a checked-out client back to the pool, as broken, the moment it loses its connection.
 * Drizzle's `transaction()` (node-postgres session) sends `begin` before its try/finally, so when
 * the connection dies during `begin` (a server restart as a transaction starts) it never releases
 * the client, and the pool counts it as in use forever: after a few restarts every query waits for
 * a client that never comes back. The caller's own later `release()` becomes a no-op.
 */
function releasedOnConnectionLoss(client: PoolClient): PoolClient {
  const release = client.release;
  let released = false;
  const releaseOnce = (err?: Error | boolean) => {
    if (released) return;
    released = true;
    client.removeListener('error', onError);
    release(err);
  };
  const onError = (err: Error) => releaseOnce(err);
  client.on('error', onError);
  client.release = releaseOnce;
  return client;
}

/**
 * Longest a query waits for a pooled connection (all busy, or the server not answering) before it
 * fails: a webhook then answers 500 and the platform retries, instead of hanging past the platform's
 * own timeout with nothing said.
 */
const POOL_WAIT_MS = 10_000;

/** Opens a node-postgres pool. Connection errors surface on first use, which `/readyz` reports. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: POOL_WAIT_MS });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // Nor a checked-out one's: the pool listens only to idle clients, and a client held by a
  // transaction between two queries (a conversation turn) that loses its server (restart, failover,
  // "terminating connection due to administrator command") emits 'error' with no listener, which
  // ends the process. The error still reaches the transaction (its next query fails, it rolls back,
  // the caller retries) and the pool discards the broken client on release.
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Clients checked out with a promise (Drizzle's transactions) go back when their connection dies;
  // the callback form is `pool.query`'s, which already releases on error.
  const connect = pool.connect.bind(pool);
  pool.connect = ((callback?: Parameters<Pool['connect']>[0]) =>
    callback ? connect(callback) : connect().then(releasedOnConnectionLoss)) as Pool['connect'];
  return {
    db: drizzlePg(pool, { schema }) as unknown as Db,
    kind: 'postgres',
    async query<T>(text: string, params?: unknown[]) {
      const res = await pool.query(text, params);
      return res.rows as T[];
    },
    async preparedQuery<T>(name: string, text: string, params: unknown[]) {
      const res = await pool.query({ name, text, values: params });
      return res.rows as T[];
    },
    close: () => pool.end(),
  };
}

/** The database named by configuration: `DATABASE_URL`, or PGlite in `DATA_DIR/pglite`. */
export async function openDatabase(opts: { databaseUrl?: string; databasePoolSize?: number; dataDir: string }): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.databasePoolSize);
  const release = lockDataDir(opts.dataDir);
  try {
    const database = await openPglite(path.join(opts.dataDir, 'pglite'));
    return {
      ...database,
      async close() {
        await database.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
