/**
 * A fair, asynchronous token bucket: `burst` requests may go at once, then `ratePerSecond`
 * on average. Waiters are served strictly in arrival order by a single pump that sleeps
 * exactly until the next token is due, so nothing polls.
 */
import { ConfigError } from '../errors';
import { type Clock, systemClock } from './clock';

/** Options of a {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second (the sustained request rate). Must be > 0. */
  ratePerSecond: number;
  /** Bucket size: how many requests may go back to back. Default `max(1, ceil(ratePerSecond))`. */
  burst?: number | undefined;
  /** Time source; default {@link systemClock}. */
  clock?: Clock | undefined;
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A token-bucket rate limiter whose waiters queue in order (first come, first served). */
export class TokenBucket {
  /** Sustained rate in tokens per second. */
  readonly ratePerSecond: number;
  /** Maximum number of stored tokens. */
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private lastRefill: number;
  private readonly queue: Waiter[] = [];
  private pumping = false;

  constructor(options: TokenBucketOptions) {
    const { ratePerSecond } = options;
    const burst = options.burst ?? Math.max(1, Math.ceil(ratePerSecond));
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) {
      throw new ConfigError('config_invalid', `rateLimit.ratePerSecond must be a positive number (got ${ratePerSecond})`);
    }
    if (!(burst >= 1) || !Number.isFinite(burst)) {
      throw new ConfigError('config_invalid', `rateLimit.burst must be at least 1 (got ${burst})`);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.clock = options.clock ?? systemClock;
    this.tokens = burst;
    this.lastRefill = this.clock.now();
  }

  /** Number of requests waiting for a token. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Take one token, waiting in line if none is available. Rejects with `signal.reason`
   * (and leaves the line) when `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.refill();
    // Only skip the line when nobody is in it, otherwise a newcomer could overtake waiters.
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(signal?.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      void this.pump();
    });
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.lastRefill);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    this.lastRefill = now;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const head = this.queue[0];
        if (head === undefined) break;
        this.refill();
        if (this.tokens >= 1) {
          this.queue.shift();
          this.tokens -= 1;
          head.signal?.removeEventListener('abort', head.onAbort);
          head.resolve();
          continue;
        }
        await this.clock.sleep(Math.max(1, Math.ceil(((1 - this.tokens) * 1000) / this.ratePerSecond)));
      }
    } catch (err) {
      // Only a broken clock gets here; fail the waiters rather than leaving them hanging.
      for (const waiter of this.queue.splice(0)) waiter.reject(err);
    } finally {
      this.pumping = false;
    }
  }
}
