/**
 * Structured JSON logs (pino) for every process; one logger, children per component.
 *
 * Secrets never reach the output and phone numbers appear masked (see src/log-masking.ts): every
 * log object, child binding and message string is scrubbed at any depth — errors included, so an
 * axios error's `config` (the Zalo `access_token` header, Messenger's `?access_token=` URL) is never
 * written. pino's own `redact` is not used: it only knows fixed paths, which the scrub already
 * covers by key name at any depth, and its wildcard paths cost more than the scrub on every line.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import { maskText, safeError, scrubObject } from './log-masking';

export type { Logger };

/** Most a server's log line waits in memory before it is written. */
export const LOG_FLUSH_MS = 1000;

/**
 * Standard output for long-running servers, buffered: lines are written 4 KB at a time, or after
 * at most `LOG_FLUSH_MS`, instead of one system call each — a webhook's request line written on
 * its own was a tenth of the CPU it took to acknowledge the webhook. pino writes out what is
 * buffered when the process exits, crashes included; only a kill -9 can lose the last second of
 * lines. Commands that run and end (the CLIs) keep the default synchronous stdout.
 */
export function bufferedStdout(): DestinationStream {
  const stream = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => {
    try {
      stream.flush();
    } catch {
      // A destroyed stream (stdout closed) has nothing left to flush.
    }
  }, LOG_FLUSH_MS);
  timer.unref();
  return stream;
}

/**
 * `destination`: where lines go (default stdout); tests pass a stream to read what was written.
 */
export function createLogger(level: string, name = 'tro-ly-mot-cua', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { pid: process.pid },
    // Runs after `formatters.log`, which already made errors safe plain objects: only a raw Error
    // that reached here some other way is serialised again.
    serializers: { err: (err: unknown) => (err instanceof Error ? safeError(err) : err) },
    formatters: {
      log: (object) => scrubObject(object),
      bindings: (bindings) => scrubObject(bindings),
    },
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // `logger.error(err)`: pino would take err.message as the line's message, unmasked.
        if (first instanceof Error) {
          const message = typeof rest[0] === 'string' ? rest.shift() : first.message;
          method.apply(this, [{ err: first }, maskText(String(message)), ...rest.map(maskArg)] as Parameters<typeof method>);
          return;
        }
        method.apply(this, [maskArg(first), ...rest.map(maskArg)] as Parameters<typeof method>);
      },
    },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino applies `formatters.bindings` to the root's bindings only; children's go through here.
  // Children are created from their parent's prototype, so they all inherit this `child`.
  const child = logger.child;
  logger.child = function scrubbedChild(this: Logger, bindings, childOptions) {
    return child.call(this, scrubObject(bindings), childOptions);
  } as typeof logger.child;
  return logger;
}

/** Message strings and interpolation values are masked; objects are scrubbed by `formatters.log`. */
function maskArg(arg: unknown): unknown {
  return typeof arg === 'string' ? maskText(arg) : arg;
}
