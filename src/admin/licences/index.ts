/** The licence register's console pages (issue 7). */
export { licencesRouter } from './router';
export type { LicencesConsoleDeps } from './deps';
