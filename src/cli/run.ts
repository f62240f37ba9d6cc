/**
 * How every command-line tool ends: with the exit code its `run` returned, or with 1 and the
 * error's message on stderr. It exits explicitly because a database pool or a timer left open would
 * otherwise keep the process alive after the work is done.
 */
export interface CliOptions {
  /** Put before error messages ("reminders: …"). */
  prefix?: string;
  /** A known error's own text and exit code (e.g. a usage error: the usage and 2); undefined for others. */
  explain?: (err: unknown) => { text: string; code: number } | undefined;
}

export function runCli(run: (argv: string[]) => Promise<number>, options: CliOptions = {}): void {
  run(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const known = options.explain?.(err);
      const text = known?.text ?? `${options.prefix ?? ''}${err instanceof Error ? err.message : String(err)}`;
      process.stderr.write(`${text}\n`);
      process.exit(known?.code ?? 1);
    },
  );
}
