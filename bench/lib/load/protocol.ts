/**
 * The IPC messages between a load bench (parent) and the server it runs in a child process
 * (`server-entry.ts`). The figures a bench needs from inside the server — its peak memory, its CPU
 * time, what its database holds — travel this way, so nothing bench-only is added to the app's HTTP
 * routes.
 */

/**
 * What the child runs: a bare Express or bare node:http "200", the app's web ingest path, the
 * webhook receivers alone (no app-wide duties), or `src/main.ts` itself.
 */
export type ServerMode = 'bare' | 'bare-http' | 'ingest' | 'receivers' | 'main';

/** Parent -> child. */
export type ParentMessage =
  | { type: 'stats'; requestId: number }
  /** Which of these platform event ids are stored, and how many rows `inbound_events` has (ingest and receivers modes). */
  | { type: 'verify'; requestId: number; platformEventIds: string[] };

/** Peak RSS and CPU time of the child so far. */
export interface ChildStats {
  /** `process.resourceUsage().maxRSS`, kB (Linux). */
  maxRssKb: number;
  /** User + system CPU time, milliseconds. */
  cpuMs: number;
}

export interface VerifyResult {
  /** Rows in `inbound_events`. */
  storedEvents: number;
  /** How many of the given ids have a row. */
  matched: number;
}

/** Child -> parent. `ready` carries the port the server listens on (absent for a worker-only process). */
export type ChildMessage =
  | { type: 'ready'; port?: number }
  | { type: 'stats'; requestId: number; stats: ChildStats }
  | { type: 'verify'; requestId: number; result: VerifyResult }
  | { type: 'error'; requestId: number; message: string };
