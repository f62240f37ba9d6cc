/** The durable outbound queue's public surface. */
export { enqueueOutbound, type OutboxRow } from './store';
export { OutboxWorker, describeMode, type OutboxWorkerOptions } from './worker';
export { backoffMs } from './backoff';
export { RateLimiter } from './rate-limiter';
