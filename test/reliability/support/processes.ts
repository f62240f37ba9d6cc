/**
 * The service as it is deployed, for reliability tests: `src/main.ts --role=web|worker|all` as child
 * processes (through `node_modules/.bin/tsx`, as `npm start` runs it) on a real PostgreSQL database,
 * started until ready, killed with SIGKILL or stopped with SIGTERM, their output kept for failure
 * messages. Several processes share one database only on PostgreSQL (PGlite allows one process),
 * so suites built on this use `describeOnPostgres`.
 *
 * The tsx CLI runs the app in a child node process and relays signals to it — but SIGKILL cannot be
 * relayed: killing only the CLI would leave the app running as an orphan. So each process gets its
 * own process group, and a kill goes to the whole group (the app and its tsx/esbuild helpers).
 * SIGTERM goes to the app itself: the CLI's relay gives the app 30 ms to acknowledge a signal and
 * SIGKILLs it otherwise (exit 143), which a busy machine easily misses.
 *
 * Usage:
 *   const db = await scratchPostgres();                       // cloned, migrated, dropped after
 *   const dataDir = createDataDir();                          // one per "deployment" (NLU cache)
 *   const worker = await startAppProcess({ role: 'worker', dataDir, env: { DATABASE_URL: db.url } });
 *   await worker.kill();                                      // SIGKILL, resolves on exit
 *   afterAll(() => stopAllAppProcesses());                    // nothing left running on failure
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { testDatabaseUrl, type Role } from '../../../src/config';
import type { Database } from '../../../src/db';
import { sharedNluCacheDir } from '../../support/app';
import { openTestDatabase, type TestDatabase } from '../../support/db';

const ROOT = path.resolve(__dirname, '../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** The worker role has no HTTP port: this log line (src/main.ts) says its loops are running. */
export const WORKER_READY_LOG = /"msg":"inbound processor and outbox started"/;
/** Output kept per process (the tail): enough for a failure message, bounded for long runs. */
const OUTPUT_TAIL_CHARS = 2_000_000;

/** A free TCP port on 127.0.0.1 (the kernel picks it; there is a small window before it is used). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

const dataDirs = new Set<string>();

/**
 * A DATA_DIR for the processes of one deployment (what a host's `./data` is): they share the NLU
 * model cache, so only the first process trains the model (seeded from the test run's shared cache
 * when there is one). Removed by `stopAllAppProcesses`.
 */
export function createDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-rel-'));
  dataDirs.add(dir);
  const cache = path.join(dir, 'nlu-cache');
  fs.mkdirSync(cache, { recursive: true });
  if (fs.existsSync(sharedNluCacheDir)) {
    for (const f of fs.readdirSync(sharedNluCacheDir)) {
      if (f.startsWith('nlu-model-') && f.endsWith('.json')) fs.copyFileSync(path.join(sharedNluCacheDir, f), path.join(cache, f));
    }
  }
  return dir;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcessOptions {
  role: Role;
  /**
   * Added to the inherited environment: DATABASE_URL (required for `web` and `worker`), platform
   * credentials and fake base URLs, OUTBOX_* settings… PORT, DATA_DIR and LOG_LEVEL are set here
   * unless given (LOG_LEVEL must stay `info` or finer for a worker: readiness is a log line).
   */
  env: Record<string, string>;
  /** Default: a new one from `createDataDir()`. */
  dataDir?: string;
  /** Shown in failure messages (default: the role). */
  name?: string;
}

export interface AppProcess {
  readonly name: string;
  readonly role: Role;
  readonly child: ChildProcess;
  /** `http://127.0.0.1:<port>` for `web` and `all`. */
  readonly baseUrl: string | undefined;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  running(): boolean;
  /** stdout and stderr interleaved (the last `OUTPUT_TAIL_CHARS`). */
  output(): string;
  /** Resolves when a line of output matches (lines already printed count). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Waits until the role is ready: `/readyz` answers 200 (web, all) and the worker loops run (worker, all). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** SIGKILL to the app and its helpers — no shutdown code runs, as in a crash or an OOM kill; resolves when all are gone. */
  kill(): Promise<ExitStatus>;
  /** SIGTERM to the app (graceful shutdown), then SIGKILL if still running after `graceMs`; resolves when all are gone. */
  stop(graceMs?: number): Promise<ExitStatus>;
}

const started = new Set<AppProcess>();

/** The pid of `parent`'s child process (Linux /proc), or undefined. */
function childPidOf(parent: number): number | undefined {
  try {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid …" — comm may hold spaces, so split after ')'.
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (ppid === parent) return Number(entry);
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc: not Linux
  }
  return undefined;
}

/** "web (pid 77, http://127.0.0.1:4123) output:\n…" — for error messages. */
export function describeProcess(p: AppProcess): string {
  return `${p.name} (pid ${p.child.pid ?? '?'}${p.baseUrl ? `, ${p.baseUrl}` : ''}) output:\n${p.output().slice(-20_000)}`;
}

/** Spawns `src/main.ts --role=<role>` without waiting for it (see `startAppProcess`). */
export async function spawnAppProcess(opts: AppProcessOptions): Promise<AppProcess> {
  const { role } = opts;
  if (role !== 'all' && !opts.env.DATABASE_URL) {
    throw new Error(`--role=${role} needs DATABASE_URL: without it the app falls back to one process on the embedded database`);
  }
  const port = opts.env.PORT ?? String(await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LOG_LEVEL: 'info',
    DATA_DIR: opts.dataDir ?? createDataDir(),
    ...opts.env,
    PORT: port,
  };
  if (role !== 'web' && ['warn', 'error', 'fatal', 'silent'].includes(env.LOG_LEVEL ?? '')) {
    throw new Error(`LOG_LEVEL=${env.LOG_LEVEL} hides the worker's readiness line: use info, debug or trace`);
  }
  // detached: a process group of its own, led by the tsx CLI (see the file comment).
  const child = spawn(TSX, ['src/main.ts', `--role=${role}`], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const group = child.pid;
  if (group === undefined) throw new Error(`could not start ${opts.name ?? role}`);
  let out = '';
  let partial = '';
  const watchers = new Set<{ pattern: RegExp; resolve: () => void }>();
  const lines: string[] = [];
  const onData = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    out = (out + text).slice(-OUTPUT_TAIL_CHARS);
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      for (const w of watchers) {
        if (w.pattern.test(line)) {
          watchers.delete(w);
          w.resolve();
        }
      }
      lines.push(line);
      if (lines.length > 10_000) lines.splice(0, lines.length - 10_000);
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  /** Whether any process of the group is still alive (signal 0 only checks). */
  const groupAlive = () => {
    try {
      process.kill(-group, 0);
      return true;
    } catch {
      return false;
    }
  };
  const killGroup = () => {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  // "Exited" means the whole group is gone: the app itself dies a moment after the CLI that leads it.
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once('exit', async (code, signal) => {
      for (let i = 0; i < 500 && groupAlive(); i++) await new Promise((r) => setTimeout(r, 10));
      if (groupAlive()) killGroup(); // a helper that outlived the app (5 s): not ours to keep
      resolve({ code, signal });
    }),
  );
  const seen = (pattern: RegExp) => lines.some((l) => pattern.test(l)) || pattern.test(partial);

  const p: AppProcess = {
    name: opts.name ?? role,
    role,
    child,
    baseUrl: role === 'worker' ? undefined : `http://127.0.0.1:${port}`,
    exited,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => out,
    async waitForOutput(pattern, timeoutMs = 120_000) {
      if (seen(pattern)) return;
      let watcher: { pattern: RegExp; resolve: () => void } | undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          new Promise<void>((resolve) => {
            watcher = { pattern, resolve };
            watchers.add(watcher);
          }),
          exited.then((s) => {
            throw new Error(`${p.name} exited (code ${s.code}, signal ${s.signal}) before printing ${pattern}; ${describeProcess(p)}`);
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`${p.name} did not print ${pattern} within ${timeoutMs} ms; ${describeProcess(p)}`)), timeoutMs);
          }),
        ]);
      } finally {
        if (watcher) watchers.delete(watcher);
        clearTimeout(timer);
      }
    },
    async waitReady(timeoutMs = 120_000) {
      const until = Date.now() + timeoutMs;
      if (role !== 'web') await p.waitForOutput(WORKER_READY_LOG, timeoutMs);
      if (!p.baseUrl) return;
      for (;;) {
        if (!p.running()) throw new Error(`${p.name} exited before it was ready; ${describeProcess(p)}`);
        try {
          if ((await fetch(`${p.baseUrl}/readyz`)).status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > until) throw new Error(`${p.name} not ready within ${timeoutMs} ms; ${describeProcess(p)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    async kill() {
      killGroup();
      return exited;
    },
    async stop(graceMs = 30_000) {
      if (!p.running()) return exited;
      // To the app itself (see the file comment); the CLI then exits with the app's exit code.
      const app = childPidOf(group);
      if (app === undefined) child.kill('SIGTERM');
      else process.kill(app, 'SIGTERM');
      const timer = setTimeout(killGroup, graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
  started.add(p);
  void exited.then(() => started.delete(p));
  return p;
}

/** Spawns the process and waits until it is ready; kills it and throws (with its output) if it is not. */
export async function startAppProcess(opts: AppProcessOptions & { readyTimeoutMs?: number }): Promise<AppProcess> {
  const p = await spawnAppProcess(opts);
  try {
    await p.waitReady(opts.readyTimeoutMs);
  } catch (err) {
    await p.kill();
    throw err;
  }
  return p;
}

/** Kills every process these helpers started that still runs, and removes the data directories. */
export async function stopAllAppProcesses(): Promise<void> {
  await Promise.all([...started].map((p) => p.kill()));
  for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  dataDirs.clear();
}

/**
 * A scratch PostgreSQL database for one test (cloned from the run's migrated template, so it is
 * migrated exactly as the app migrates), with its URL for the processes; `drop()` removes it.
 */
export type ScratchPostgres = TestDatabase & { url: string; drop(): Promise<void> };

export async function scratchPostgres(): Promise<ScratchPostgres> {
  const db = await openTestDatabase('postgres');
  if (!db.url) throw new Error('openTestDatabase(postgres) returned no URL');
  return { ...db, url: db.url };
}

/**
 * After a kill: waits until PostgreSQL has closed every session opened between `from` and `to`
 * (the dead process's). The server still runs the statements a client sent before it died — a
 * `sent` being recorded, a claim — so only then is the database's state final. `from` and `to` are
 * read from this machine's clock (the server's must agree: same host or container host), just
 * before the spawn and just after the kill; the caller must not query the database in between.
 */
export async function waitForSessionsToEnd(database: Database, from: Date, to: Date, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await database.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and backend_start between $1 and $2 and pid <> pg_backend_pid()`,
      [from.toISOString(), to.toISOString()],
    );
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > until) throw new Error(`${row?.n} database sessions of the killed process still open after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `describe` for suites that run several processes on one database: they need a PostgreSQL server
 * (TEST_DATABASE_URL; CI always sets it). Without one the suite is skipped, and says why.
 */
export function describeOnPostgres(name: string, body: () => void): void {
  if (testDatabaseUrl()) {
    describe(name, body);
    return;
  }
  console.warn(`SKIPPED "${name}": it runs several processes on one database, which needs PostgreSQL — set TEST_DATABASE_URL (PGlite allows one process).`);
  describe.skip(name, body);
}
