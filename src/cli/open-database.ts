/** Opens and migrates the configured database for a command-line tool. */
import { loadConfig, loadDotEnv, type Config } from '../config';
import { migrateDatabase, openDatabase, type Database } from '../db';

export async function openCliDatabase(): Promise<{ config: Config; database: Database }> {
  loadDotEnv();
  const config = loadConfig();
  const database = await openDatabase(config);
  await migrateDatabase(database, config.databaseUrl);
  return { config, database };
}
