/**
 * Login throttling before legacy is called: one token bucket per key (identifier or
 * client), refilled continuously. Memory is bounded: full buckets are dropped first,
 * then the oldest.
 */
import type { ServeThrottleRule } from './serve-config';

/** The answer of {@link Throttle.take}. */
export type ThrottleDecision = { ok: true } | { ok: false; retryAfterSec: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Token buckets keyed by string. */
export class Throttle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly rule: ServeThrottleRule,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = rule.perMinute / 60_000;
  }

  /** Take one token for `key`, or say how many seconds until one is free. */
  take(key: string): ThrottleDecision {
    const b = this.refilled(key);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  /** Give a token back (a successful login should not count against its user). */
  give(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.rule.burst, b.tokens + 1);
  }

  private refilled(key: string): Bucket {
    const t = this.now();
    let b = this.buckets.get(key);
    if (b === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evict(t);
      b = { tokens: this.rule.burst, at: t };
      this.buckets.set(key, b);
    } else {
      b.tokens = Math.min(this.rule.burst, b.tokens + (t - b.at) * this.perMs);
      b.at = t;
    }
    return b;
  }

  private evict(t: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.rule.burst) this.buckets.delete(k);
    }
    // Still full: drop the oldest tenth (Map keeps insertion order).
    if (this.buckets.size >= this.maxKeys) {
      let n = Math.ceil(this.maxKeys / 10);
      for (const k of this.buckets.keys()) {
        if (n-- <= 0) break;
        this.buckets.delete(k);
      }
    }
  }
}
