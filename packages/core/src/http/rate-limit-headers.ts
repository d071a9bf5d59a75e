/**
 * Reading the rate-limit headers legacy platforms send, and a gate that slows a client
 * down before it runs out of quota.
 *
 * - Okta: `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`, `X-Rate-Limit-Reset` (Unix seconds).
 * - Auth0: `x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset` (Unix seconds).
 * - Everyone: `Retry-After` (delta seconds or an HTTP date).
 *
 * Absolute times are converted with the response's own `Date` header when present, so a
 * skewed local clock does not turn a one-second reset into an hour's wait (or none).
 */

/** Quota state read from one response, in local-clock milliseconds. */
export interface RateLimitSnapshot {
  /** Requests allowed per window, when the server said. */
  limit: number | undefined;
  /** Requests left in the current window. */
  remaining: number;
  /** Local time (ms since epoch) at which the window resets. */
  resetAtMs: number;
}

// Values below this are not plausible Unix times (2001-09-09); treat them as delta seconds.
const MIN_EPOCH_SECONDS = 1_000_000_000;

function readNumber(headers: Headers, ...names: string[]): number | undefined {
  for (const name of names) {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') continue;
    const value = Number(raw.trim());
    if (Number.isFinite(value)) return value;
  }
  return undefined;
}

/** Local minus server time, from the `Date` header; 0 when absent or unparseable. */
function serverClockOffsetMs(headers: Headers, nowMs: number): number {
  const date = headers.get('date');
  if (date === null) return 0;
  const serverMs = Date.parse(date);
  return Number.isNaN(serverMs) ? 0 : nowMs - serverMs;
}

/** Convert a reset value (Unix seconds, or delta seconds if implausibly small) to local ms. */
function resetToLocalMs(reset: number, headers: Headers, nowMs: number): number {
  if (reset < MIN_EPOCH_SECONDS) return nowMs + Math.max(0, reset) * 1000;
  return reset * 1000 + serverClockOffsetMs(headers, nowMs);
}

/**
 * Read Okta- or Auth0-style rate-limit headers. Returns `undefined` unless both a
 * remaining count and a reset time are present.
 */
export function readRateLimitHeaders(headers: Headers, nowMs: number): RateLimitSnapshot | undefined {
  // Header lookup is case-insensitive, so these cover `X-Rate-Limit-*` and `x-ratelimit-*`.
  const remaining = readNumber(headers, 'x-rate-limit-remaining', 'x-ratelimit-remaining');
  const reset = readNumber(headers, 'x-rate-limit-reset', 'x-ratelimit-reset');
  if (remaining === undefined || reset === undefined) return undefined;
  return {
    limit: readNumber(headers, 'x-rate-limit-limit', 'x-ratelimit-limit'),
    remaining,
    resetAtMs: resetToLocalMs(reset, headers, nowMs),
  };
}

/** Milliseconds a `Retry-After` header asks for (seconds or HTTP date), or `undefined`. */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const dateMs = Date.parse(raw);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs + serverClockOffsetMs(headers, nowMs) - nowMs);
}

/**
 * How long the server asked us to wait before retrying: `Retry-After` first, then a reset
 * header (only meaningful on a 429, where the window is exhausted). `undefined` when the
 * response says nothing usable.
 */
export function serverRetryDelayMs(status: number, headers: Headers, nowMs: number): number | undefined {
  const retryAfter = parseRetryAfterMs(headers, nowMs);
  if (retryAfter !== undefined) return retryAfter;
  if (status !== 429) return undefined;
  const reset = readNumber(headers, 'x-rate-limit-reset', 'x-ratelimit-reset');
  if (reset === undefined) return undefined;
  const delay = resetToLocalMs(reset, headers, nowMs) - nowMs;
  // A reset already in the past says nothing useful; let the caller fall back to backoff.
  return delay > 0 ? delay : undefined;
}

/** Options of the proactive {@link RateLimitGate}. */
export interface RateLimitGateOptions {
  /** Delay requests once a window has this many requests left or fewer. Default 2. */
  minRemaining?: number | undefined;
  /** Longest single proactive wait, guarding against absurd reset values. Default 60000. */
  maxWaitMs?: number | undefined;
}

/**
 * Remembers the last quota each server reported (per key, since Okta limits differ per
 * endpoint family) and tells callers how long to hold off so they reach the reset time
 * instead of a 429.
 */
export class RateLimitGate {
  private readonly minRemaining: number;
  private readonly maxWaitMs: number;
  private readonly windows = new Map<string, RateLimitSnapshot>();

  constructor(options: RateLimitGateOptions = {}) {
    this.minRemaining = options.minRemaining ?? 2;
    this.maxWaitMs = options.maxWaitMs ?? 60_000;
  }

  /** Record the quota a response reported for `key`. */
  update(key: string, snapshot: RateLimitSnapshot): void {
    const current = this.windows.get(key);
    // Responses to concurrent requests arrive out of order: within one window the
    // smallest remaining count is the freshest.
    if (current !== undefined && current.resetAtMs === snapshot.resetAtMs && current.remaining < snapshot.remaining) {
      return;
    }
    this.windows.set(key, snapshot);
  }

  /** Milliseconds to wait before the next request for `key` (0 when there is quota left). */
  delayMs(key: string, nowMs: number): number {
    const window = this.windows.get(key);
    if (window === undefined) return 0;
    if (nowMs >= window.resetAtMs) {
      this.windows.delete(key);
      return 0;
    }
    if (window.remaining > this.minRemaining) return 0;
    return Math.min(this.maxWaitMs, window.resetAtMs - nowMs);
  }
}
