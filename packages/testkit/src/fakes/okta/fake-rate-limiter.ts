/**
 * Okta-style rate limiting: fixed per-bucket windows reported through
 * `X-Rate-Limit-Limit/-Remaining/-Reset` (Unix seconds), plus a concurrency limit whose
 * 429s report limit and remaining 0.
 */
import type { FakeRateLimit } from './fake-okta-types';

/** What the limiter decided for one request. */
export interface RateDecision {
  allowed: boolean;
  concurrency: boolean;
  headers: Record<string, string>;
}

interface Window {
  resetAtMs: number;
  used: number;
}

/** Fixed-window quotas per bucket and a shared concurrency cap. */
export class FakeRateLimiter {
  private readonly windows = new Map<string, Window>();
  private inFlight = 0;

  constructor(
    private readonly limits: Partial<Record<string, FakeRateLimit>>,
    private readonly concurrency: number | undefined,
  ) {}

  /** Count one request of `bucket`; call {@link release} when it is answered. */
  acquire(bucket: string, nowMs = Date.now()): RateDecision {
    this.inFlight++;
    const limit = this.limits[bucket];
    let headers: Record<string, string> = {};
    let allowed = true;
    let resetSec = Math.ceil((nowMs + 60_000) / 1000);
    if (limit !== undefined) {
      let window = this.windows.get(bucket);
      if (window === undefined || nowMs >= window.resetAtMs) {
        // Windows start and end on whole seconds, as Okta's reset header can only say seconds.
        window = { resetAtMs: Math.floor(nowMs / 1000) * 1000 + limit.windowMs, used: 0 };
        this.windows.set(bucket, window);
      }
      allowed = window.used < limit.limit;
      if (allowed) window.used++;
      resetSec = window.resetAtMs / 1000;
      headers = {
        'X-Rate-Limit-Limit': String(limit.limit),
        'X-Rate-Limit-Remaining': String(Math.max(0, limit.limit - window.used)),
        'X-Rate-Limit-Reset': String(resetSec),
      };
    }
    if (allowed && this.concurrency !== undefined && this.inFlight > this.concurrency) {
      return { allowed: false, concurrency: true, headers: { 'X-Rate-Limit-Limit': '0', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(resetSec) } };
    }
    return { allowed, concurrency: false, headers };
  }

  /** One request answered. */
  release(): void {
    this.inFlight--;
  }
}
