/**
 * Starts and stops the servers a load bench measures, each in a child process of its own (Node with
 * the tsx loader, running `server-entry.ts`), with its output in a log file rather than a pipe the
 * load generator would have to drain. Asks the child for its peak RSS and CPU time over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../common';
import type { ChildMessage, ChildStats, ParentMessage, ServerMode, VerifyResult } from './protocol';

/** A message before its request id is assigned (distributes over the union). */
type WithoutRequestId<T> = T extends unknown ? Omit<T, 'requestId'> : never;

const ENTRY = path.join(__dirname, 'server-entry.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free TCP port on 127.0.0.1 (for `src/main.ts`, which listens on `PORT`). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** A fresh temporary directory (a child's DATA_DIR, log files). */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Trained NLU models kept between bench runs, so each app process loads one instead of training it. */
const NLU_CACHE = path.join(os.tmpdir(), 'tlmc-bench-nlu-cache');

/**
 * A DATA_DIR for an app process, its `nlu-cache` seeded from the bench's cache (the model's file
 * name carries a hash of the intents and procedures, so a stale one is simply not used).
 */
export function appDataDir(prefix: string): string {
  const dir = tempDir(prefix);
  if (fs.existsSync(NLU_CACHE)) fs.cpSync(NLU_CACHE, path.join(dir, 'nlu-cache'), { recursive: true });
  return dir;
}

/** Keeps the models an app process trained in `dataDir` for the next ones; then removes `dataDir`. */
export function removeAppDataDir(dir: string): void {
  const cache = path.join(dir, 'nlu-cache');
  if (fs.existsSync(cache)) fs.cpSync(cache, NLU_CACHE, { recursive: true, force: false, errorOnExist: false });
  fs.rmSync(dir, { recursive: true, force: true });
}

export interface ChildServerOptions {
  /** Shown in reports, e.g. "app on PostgreSQL (web)". */
  name: string;
  mode: ServerMode;
  /** `main` mode: the `--role` passed to src/main.ts. */
  role?: 'web' | 'worker' | 'all';
  /** The child's whole environment besides PATH/HOME (config is read from it by src/config.ts). */
  env: Record<string, string>;
  /** Where the child's stdout and stderr go. */
  logFile: string;
  /** Extra Node flags for the child (e.g. `--cpu-prof`, to see where a server's CPU goes). */
  nodeFlags?: string[];
  /** `main` mode with an HTTP role: the port it listens on (`PORT` is set to it). */
  port?: number;
  /** `main` mode, worker role: a log line that means the worker is running. */
  readyLogPattern?: RegExp;
  readyTimeoutMs?: number;
}

export interface ChildServer {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>`; undefined for a worker-only process. */
  readonly baseUrl: string | undefined;
  readonly logFile: string;
  stats(): Promise<ChildStats>;
  verify(platformEventIds: string[]): Promise<VerifyResult>;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`); resolves with the exit code. */
  stop(graceMs?: number): Promise<number | null>;
}

/** The last lines of a log file, for an error message. */
export function logTail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function startChildServer(opts: ChildServerOptions): Promise<ChildServer> {
  const log = fs.openSync(opts.logFile, 'a');
  const args = [opts.mode, ...(opts.role ? [`--role=${opts.role}`] : [])];
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...opts.env };
  if (opts.port !== undefined) env.PORT = String(opts.port);
  const child: ChildProcess = fork(ENTRY, args, {
    cwd: ROOT,
    env,
    execArgv: ['--import', 'tsx', ...(opts.nodeFlags ?? [])],
    stdio: ['ignore', log, log, 'ipc'],
  });
  fs.closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  let nextRequest = 1;
  const waiting = new Map<number, { resolve(m: ChildMessage): void; reject(e: Error): void }>();
  let readyPort: number | undefined;
  let ready = false;
  child.on('message', (m: ChildMessage) => {
    if (m.type === 'ready') {
      ready = true;
      readyPort = m.port;
      return;
    }
    const w = waiting.get(m.requestId);
    if (!w) return;
    waiting.delete(m.requestId);
    if (m.type === 'error') w.reject(new Error(`${opts.name}: ${m.message}`));
    else w.resolve(m);
  });
  const ask = (message: WithoutRequestId<ParentMessage>): Promise<ChildMessage> =>
    new Promise((resolve, reject) => {
      const requestId = nextRequest++;
      waiting.set(requestId, { resolve, reject });
      child.send({ ...message, requestId } as ParentMessage, (err) => {
        if (err) {
          waiting.delete(requestId);
          reject(err);
        }
      });
    });

  const timeoutMs = opts.readyTimeoutMs ?? 300_000;
  const until = Date.now() + timeoutMs;
  const isReady = async (): Promise<boolean> => {
    if (opts.mode !== 'main') return ready;
    if (opts.port !== undefined) {
      try {
        return (await fetch(`http://127.0.0.1:${opts.port}/readyz`)).status === 200;
      } catch {
        return false; // not listening yet
      }
    }
    return opts.readyLogPattern !== undefined && opts.readyLogPattern.test(fs.readFileSync(opts.logFile, 'utf8'));
  };
  while (!(await isReady())) {
    if (child.exitCode !== null) throw new Error(`${opts.name} exited with ${child.exitCode} before it was ready:\n${logTail(opts.logFile)}`);
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${opts.name} not ready within ${timeoutMs} ms:\n${logTail(opts.logFile)}`);
    }
    await sleep(100);
  }
  const port = opts.mode === 'main' ? opts.port : readyPort;

  return {
    name: opts.name,
    pid: child.pid ?? -1,
    baseUrl: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    logFile: opts.logFile,
    async stats() {
      const m = await ask({ type: 'stats' });
      if (m.type !== 'stats') throw new Error(`${opts.name}: unexpected answer ${m.type}`);
      return m.stats;
    },
    async verify(platformEventIds) {
      const m = await ask({ type: 'verify', platformEventIds });
      if (m.type !== 'verify') throw new Error(`${opts.name}: unexpected answer ${m.type}`);
      return m.result;
    },
    async stop(graceMs = 20_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(killer);
      return code;
    },
  };
}
