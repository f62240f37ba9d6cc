/**
 * A throw-away PostgreSQL database on the server of TEST_DATABASE_URL for one bench target: created
 * empty (the app under test migrates it at start, as in production) and dropped afterwards, so a
 * bench never touches data it did not make.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { withDatabaseName } from '../../../test/support/db-env';

export interface ScratchDatabase {
  url: string;
  /** Runs one statement on the scratch database (counting what the app stored, …). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const c = new Client({ connectionString: serverUrl });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

export async function createScratchDatabase(serverUrl: string, label: string): Promise<ScratchDatabase> {
  const name = `tlmc_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await onServer(serverUrl, `create database ${name}`);
  const url = withDatabaseName(serverUrl, name);
  return {
    url,
    async query<T>(text: string, params?: unknown[]) {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    drop: () => onServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
