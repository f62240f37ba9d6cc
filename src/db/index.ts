/** The data layer's public surface. */
export { openDatabase, openPglite, openPostgres } from './client';
export type { Database, Db, DriverKind } from './client';
export { migrateDatabase, isMigrated } from './migrate';
export * as tables from './schema';
export { DatabaseInUseError } from './lock';
