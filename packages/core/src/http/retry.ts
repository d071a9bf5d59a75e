/**
 * Retry policy: which requests may be repeated, and how long to wait between attempts
 * (exponential backoff with full jitter, or what the server asked for).
 */

/** Bounds on retrying one request. */
export interface RetryOptions {
  /** Total attempts including the first. Default 4; 1 disables retries. */
  maxAttempts: number;
  /** Backoff before the second attempt, doubled each time (before jitter). Default 250. */
  baseDelayMs: number;
  /** Cap on one computed backoff delay. Server-requested waits are not capped by it. Default 30000. */
  maxDelayMs: number;
  /**
   * Cap on the sum of all waits between attempts of one request. When the server asks for
   * a longer wait than is left, the client gives up at once with `retryAfterMs` set, so
   * the caller can reschedule instead of sleeping. Default 120000.
   */
  maxTotalWaitMs: number;
}

/** The defaults of {@link RetryOptions}. */
export const DEFAULT_RETRY_OPTIONS: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
});

/** Methods that are retried on 5xx, timeouts and network errors unless a request says otherwise. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Whether a request may be sent twice: its own `idempotent` flag, else the method's nature. */
export function isIdempotent(method: string, override?: boolean): boolean {
  return override ?? IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/**
 * Full-jitter backoff ("Exponential Backoff And Jitter", AWS): a uniform random wait in
 * `[0, min(maxDelayMs, baseDelayMs * 2^(retry-1)))`, which spreads out clients that
 * failed together. `retry` is 1 before the second attempt.
 */
export function backoffDelayMs(retry: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Network error codes meaning the request never reached the server, so even a POST may be resent. */
export const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
