/**
 * A private, throw-away PostgreSQL server for tests that must stop, kill or restart the database
 * under a running application — something the shared server (TEST_DATABASE_URL) cannot be used for.
 *
 * The server binaries come from the distribution's packages (`/usr/lib/postgresql/<version>/bin`).
 * `initdb` and `postgres` refuse to run as root, so when the tests run as root (containers, CI) the
 * binaries run as the `postgres` OS user (`runuser -u postgres`) on a data directory that user owns.
 * The cluster is tuned for speed, not durability (fsync off): it lives for one test file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes';

const run = promisify(execFile);

/** Where Debian/Ubuntu packages install the server; the newest version found is used. */
const POSTGRES_LIB = '/usr/lib/postgresql';
/** The OS user the server runs as when we are root. */
const SERVER_USER = 'postgres';
const RUNUSER = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'];

/** `pg_ctl stop` modes: `fast` disconnects clients cleanly; `immediate` is a crash (recovery at next start). */
export type StopMode = 'fast' | 'immediate';

export type Availability = { ok: true; binDir: string; runAs?: { uid: number; gid: number; runuser: string } } | { ok: false; reason: string };

/** The binary directory of the newest installed server version that has initdb and pg_ctl. */
function findBinDir(): string | undefined {
  if (!fs.existsSync(POSTGRES_LIB)) return undefined;
  const versions = fs
    .readdirSync(POSTGRES_LIB)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(POSTGRES_LIB, v, 'bin');
    if (['initdb', 'pg_ctl', 'postgres'].every((b) => fs.existsSync(path.join(bin, b)))) return bin;
  }
  return undefined;
}

/** uid and gid of `name` from /etc/passwd (no `getent` needed). */
function osUser(name: string): { uid: number; gid: number } | undefined {
  try {
    const line = fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${name}:`));
    const fields = line?.split(':');
    if (!fields || fields.length < 4) return undefined;
    return { uid: Number(fields[2]), gid: Number(fields[3]) };
  } catch {
    return undefined;
  }
}

/**
 * Whether a private server can be started here, and how; `reason` says what is missing otherwise
 * (the tests that need one print it and skip).
 */
export function privatePostgresAvailability(): Availability {
  const binDir = findBinDir();
  if (!binDir) return { ok: false, reason: `no PostgreSQL server binaries (initdb, pg_ctl) under ${POSTGRES_LIB}/*/bin` };
  if (process.getuid?.() !== 0) return { ok: true, binDir };
  const user = osUser(SERVER_USER);
  if (!user) return { ok: false, reason: `running as root, and there is no "${SERVER_USER}" OS user to run the server as (initdb refuses root)` };
  const runuser = RUNUSER.find((p) => fs.existsSync(p));
  if (!runuser) return { ok: false, reason: 'running as root, and runuser(1) is missing (needed to run the server as the postgres user)' };
  return { ok: true, binDir, runAs: { ...user, runuser } };
}

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Starts the server and waits until it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (`fast`: clients are disconnected cleanly; `immediate`: like a crash). */
  stop(mode?: StopMode): Promise<void>;
  /** Stops, stays down for `downMs` (so clients notice), and starts again on the same port. */
  restart(mode?: StopMode, downMs?: number): Promise<void>;
  /** Whether the postmaster is running (`pg_ctl status`). */
  running(): Promise<boolean>;
  /** The server's log so far (for failure messages). */
  log(): string;
  /** Stops the server (immediately) and removes its data directory. Safe to call twice. */
  destroy(): Promise<void>;
}

/**
 * Creates a new cluster in a temporary directory (initdb) on a free port and starts it.
 * Throws when `privatePostgresAvailability()` is not ok.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const available = privatePostgresAvailability();
  if (!available.ok) throw new Error(`no private PostgreSQL server: ${available.reason}`);
  const { binDir, runAs } = available;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-pg-'));
  const logFile = path.join(dataDir, 'server.log');
  const clusterDir = path.join(dataDir, 'cluster');
  fs.mkdirSync(clusterDir, { mode: 0o700 });
  // The server user must own what it writes (and be able to enter the temp directory).
  if (runAs) {
    fs.chownSync(dataDir, runAs.uid, runAs.gid);
    fs.chownSync(clusterDir, runAs.uid, runAs.gid);
  }
  const port = await freePort();

  /** Runs a server binary, as the server user when we are root; cwd is one that user can read. */
  const pg = async (binary: string, args: string[], timeoutMs = 60_000) => {
    const exe = path.join(binDir, binary);
    const [file, argv] = runAs ? [runAs.runuser, ['-u', SERVER_USER, '--', exe, ...args]] : [exe, args];
    return run(file, argv, { cwd: dataDir, timeout: timeoutMs, env: { ...process.env, LC_ALL: 'C', PGTZ: 'UTC' } });
  };

  await pg('initdb', ['-D', clusterDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C'], 120_000);
  // A throw-away cluster need not survive an OS crash (fsync off), but it must survive its own
  // crash: `synchronous_commit` stays on, or an immediate stop would lose acknowledged commits and
  // the tests would blame the application for the database's configuration.
  fs.appendFileSync(
    path.join(clusterDir, 'postgresql.conf'),
    [
      '',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dataDir}'`,
      'fsync = off',
      'full_page_writes = off',
      'max_connections = 200',
      "timezone = 'UTC'",
      '',
    ].join('\n'),
  );

  let destroyed = false;
  const server: PrivatePostgres = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    async start() {
      await pg('pg_ctl', ['-D', clusterDir, '-l', logFile, '-w', '-t', '60', 'start'], 90_000);
    },
    async stop(mode: StopMode = 'fast') {
      await pg('pg_ctl', ['-D', clusterDir, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
    },
    async restart(mode: StopMode = 'fast', downMs = 0) {
      await server.stop(mode);
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await server.start();
    },
    async running() {
      try {
        await pg('pg_ctl', ['-D', clusterDir, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    log() {
      try {
        return fs.readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      if (await server.running()) await server.stop('immediate').catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (err) {
    const log = server.log();
    await server.destroy();
    throw new Error(`private PostgreSQL did not start: ${(err as Error).message}\n${log}`);
  }
  return server;
}
