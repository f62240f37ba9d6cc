/**
 * The service as a newcomer runs it: `src/main.ts` as a child process on the embedded database.
 * Ready within the minute, answers, shuts down cleanly on SIGTERM, keeps its data across a restart,
 * and refuses a second process on the same embedded database with a clear message.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { postJson, sharedNluCacheDir } from '../support/app';
import { openTestDatabase, testDriverKinds } from '../support/db';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Reuses the model trained by other suites when there is one: training is not what these test. */
function withTrainedModel(dataDir: string): void {
  fs.mkdirSync(path.join(dataDir, 'nlu-cache'), { recursive: true });
  if (!fs.existsSync(sharedNluCacheDir)) return;
  for (const f of fs.readdirSync(sharedNluCacheDir)) fs.copyFileSync(path.join(sharedNluCacheDir, f), path.join(dataDir, 'nlu-cache', f));
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Started {
  const child = spawn(tsx, ['src/main.ts'], { cwd: root, env: { ...process.env, ...env } });
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitReady(base: string, started: Started, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (started.child.exitCode !== null) throw new Error(`exited early:\n${started.output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready in ${ms} ms:\n${started.output()}`);
}

describe('the service process on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-proc-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts, answers, stops cleanly, and remembers the conversation after a restart', async () => {
    withTrainedModel(dataDir);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '' };

    const first = start(env);
    await waitReady(base, first);
    const session = 'restart-session-1';
    const docs = await postJson(`${base}/api/webchat/messages`, { sessionId: session, text: 'đăng ký kết hôn cần giấy tờ gì' });
    expect(docs.body.replies[0].text).toContain('Giấy xác nhận tình trạng hôn nhân');

    // A second process on the same embedded database is refused, not allowed to corrupt it.
    const cli = spawnSync(tsx, ['src/cli/kb.ts', 'export'], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/in use by process \d+/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/"msg":"stopped"/);

    const second = start(env);
    await waitReady(base, second);
    const fee = await postJson(`${base}/api/webchat/messages`, { sessionId: session, text: 'còn lệ phí thì sao' });
    expect(fee.body.replies[0].text).toContain('đăng ký kết hôn được miễn lệ phí');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});

describe('the service process on a port already taken', () => {
  it('ends with exit code 1 and the reason, instead of saying it is ready', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, () => resolve()));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-port-'));
    withTrainedModel(dataDir);
    try {
      const { port } = holder.address() as net.AddressInfo;
      const started = start({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', DATABASE_URL: '' });
      expect(await started.exited).toBe(1);
      expect(started.output()).toContain('EADDRINUSE');
      expect(started.output()).not.toContain('web chat ready');
    } finally {
      holder.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});

// On PostgreSQL the roles run as separate processes, as the Procfile's `web:` and `worker:` lines do.
// (Registered only when a server is configured: PGlite cannot be shared by two processes.)
if (testDriverKinds().includes('postgres')) describe('web and worker processes on PostgreSQL', () => {
  it('each starts, connects, and stops cleanly on SIGTERM', async () => {
    const db = await openTestDatabase('postgres');
    try {
      const port = await freePort();
      const env = { PORT: String(port), DATABASE_URL: db.url ?? '', LOG_LEVEL: 'info', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-roles-')) };
      const web = spawn(tsx, ['src/main.ts', '--role=web'], { cwd: root, env: { ...process.env, ...env } });
      const worker = spawn(tsx, ['src/main.ts', '--role=worker'], { cwd: root, env: { ...process.env, ...env } });
      const logs = { web: '', worker: '' };
      web.stdout.on('data', (d) => (logs.web += d));
      worker.stdout.on('data', (d) => (logs.worker += d));
      const webStarted: Started = { child: web, output: () => logs.web, exited: new Promise((r) => web.on('exit', r)) };
      const workerExit = new Promise((r) => worker.on('exit', r));
      await waitReady(`http://127.0.0.1:${port}`, webStarted);
      const until = Date.now() + 60_000;
      while (!logs.worker.includes('scheduler started') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(logs.worker).toContain('handoff-queue-report');
      expect(logs.worker).not.toContain('web chat ready');
      web.kill('SIGTERM');
      worker.kill('SIGTERM');
      expect(await webStarted.exited).toBe(0);
      expect(await workerExit).toBe(0);
      expect(logs.worker).toMatch(/"msg":"stopped"/);
    } finally {
      await db.drop();
    }
  }, 180_000);
});
