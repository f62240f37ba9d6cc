/**
 * Runs a "drain until nothing is left" function on a timer and on demand, never twice at once:
 * a nudge during a run schedules one more run, so work that arrives mid-drain is not left waiting
 * for the next tick. Shared by the inbound processor and the outbox worker.
 */
import type { Logger } from '../logger';

export class DrainLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stoppedFlag = false;

  constructor(
    private readonly drain: () => Promise<void>,
    private readonly logger: Logger,
    private readonly name: string,
  ) {}

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  /** Drains every `intervalMs` (work queued by other processes), besides every `nudge()`. */
  start(intervalMs: number): void {
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
  }

  nudge(): void {
    if (this.stoppedFlag) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.logger.error({ err }, `${this.name} failed`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Stops the timer and waits for the run in progress to finish. */
  async stop(): Promise<void> {
    this.stoppedFlag = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
