/** Broadcasts in the officials' console: compose, progress, list, and the delivery outcomes summary. */
export { broadcastsRouter, type BroadcastsDeps } from './router';
