/** Structured JSON logs (pino) for every process; one logger, children per component. */
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'tro-ly-mot-cua'): Logger {
  return pino({ name, level, base: { pid: process.pid } });
}
