/**
 * PGlite allows one process per data directory, and two would corrupt it. A pid file beside the data
 * says who has it open, so a second process (a CLI while `npm start` runs) stops with a clear message.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DatabaseInUseError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dataDir`; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'pglite.pid');
  try {
    const holder = Number(fs.readFileSync(file, 'utf8').trim());
    if (holder && holder !== process.pid && alive(holder)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by process ${holder} (is \`npm start\` running?). ` +
          'Stop it first, or set DATABASE_URL to a PostgreSQL server that several processes can share.',
      );
    }
  } catch (err) {
    if (err instanceof DatabaseInUseError) throw err;
    // No pid file yet, or an unreadable one: nobody holds the lock.
  }
  fs.writeFileSync(file, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
    } catch {
      // Already gone: nothing to release.
    }
  };
}
