/**
 * Work that must not delay a login but must not be lost either (markMigrated calls).
 * Tasks are retried with backoff; `drain()` waits for all of them (graceful shutdown,
 * tests, end of a CLI command).
 */
import type { Logger } from 'pino';

/** Options for {@link BackgroundTasks.retry}. */
export interface RetryPlan {
  attempts: number;
  /** Delay before retry n (0-based), in ms. */
  delayMs: (attempt: number) => number;
}

/** A small set of tracked, retried background tasks. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /**
   * Start `task` now; retry it per `plan`; then call `settle(ok, error, attempts)`. Never throws.
   */
  retry(name: string, plan: RetryPlan, task: () => Promise<void>, settle: (ok: boolean, error: unknown, attempts: number) => Promise<void>): void {
    const run = async (): Promise<void> => {
      let lastError: unknown;
      for (let attempt = 0; attempt < plan.attempts; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, plan.delayMs(attempt - 1)));
        try {
          await task();
          await settle(true, undefined, attempt + 1);
          return;
        } catch (err) {
          lastError = err;
        }
      }
      await settle(false, lastError, plan.attempts);
    };
    const p = run().catch((err: unknown) => {
      this.logger.error({ task: name, err: err instanceof Error ? err.message : String(err) }, 'background task failed to settle');
    });
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Wait until every task has settled. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Tasks not yet settled. */
  get pending(): number {
    return this.running.size;
  }
}
