/**
 * Auth0-style rate limiting: a token bucket per tenant reported through
 * `x-ratelimit-limit` (the bucket size), `x-ratelimit-remaining` (whole tokens left) and
 * `x-ratelimit-reset` (Unix seconds at which the bucket is full again).
 */
import type { FakeAuth0RateLimit } from './fake-auth0-types';

/** What the limiter decided for one request. */
export interface FakeAuth0RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** A token bucket answering with Auth0's headers. */
export class FakeAuth0RateLimiter {
  private tokens: number;
  private last: number;

  constructor(
    private readonly limit: FakeAuth0RateLimit,
    nowMs = Date.now(),
  ) {
    this.tokens = limit.burst;
    this.last = nowMs;
  }

  /** Take a token if there is one. */
  acquire(nowMs = Date.now()): FakeAuth0RateDecision {
    const { ratePerSecond, burst } = this.limit;
    this.tokens = Math.min(burst, this.tokens + (Math.max(0, nowMs - this.last) * ratePerSecond) / 1000);
    this.last = nowMs;
    const allowed = this.tokens >= 1;
    if (allowed) this.tokens -= 1;
    const fullAtMs = nowMs + ((burst - this.tokens) * 1000) / ratePerSecond;
    return {
      allowed,
      headers: {
        'x-ratelimit-limit': String(burst),
        'x-ratelimit-remaining': String(Math.floor(this.tokens)),
        'x-ratelimit-reset': String(Math.ceil(fullAtMs / 1000)),
      },
    };
  }
}
