/** Names of the variables global-setup uses to tell test files where the templates are. */
export const TEMPLATE_ENV = {
  tmpDir: 'TLMC_TEST_TMP_DIR',
  pgliteDump: 'TLMC_TEST_PGLITE_DUMP',
  pgTemplate: 'TLMC_TEST_PG_TEMPLATE',
} as const;

/** `postgres://u@h:5432/x` with the database name replaced. */
export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
