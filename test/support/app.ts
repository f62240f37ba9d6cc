/** Starts the real application (all components, real NLU) on a test database and a free port. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import http, { type Server } from 'node:http';
import { loadConfig } from '../../src/config';
import { composeServices, type Services } from '../../src/compose';
import { createLogger } from '../../src/logger';
import type { Database } from '../../src/db';

/** One NLU cache for the whole run, so the model is trained once, not once per test file. */
export const sharedNluCacheDir = path.join(os.tmpdir(), 'tlmc-test-nlu-cache');

export interface RunningApp {
  baseUrl: string;
  services: Services;
  close(): Promise<void>;
}

/** Starts the app; `env` adds configuration (channel credentials, fake platform URLs). */
export async function startApp(database: Database, env: Record<string, string> = {}): Promise<RunningApp> {
  fs.mkdirSync(sharedNluCacheDir, { recursive: true });
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-app-')), ...env });
  config.paths.nluCacheDir = sharedNluCacheDir;
  const services = await composeServices(config, database, createLogger('silent'));
  const server: Server = await new Promise((resolve) => {
    const s = http.createServer(services.app).listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    services,
    async close() {
      await services.inbound.stop();
      await services.outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** Polls `check` until it returns something truthy (work happens asynchronously after a webhook). */
export async function eventually<T>(check: () => T | Promise<T>, ms = 15_000): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
