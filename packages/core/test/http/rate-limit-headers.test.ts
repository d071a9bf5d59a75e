import {
  parseRetryAfterMs,
  RateLimitGate,
  readRateLimitHeaders,
  serverRetryDelayMs,
} from '../../src/http/rate-limit-headers';
import { backoffDelayMs, DEFAULT_RETRY_OPTIONS, isIdempotent } from '../../src/http/retry';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const nowSeconds = NOW / 1000;

describe('readRateLimitHeaders', () => {
  it('reads Okta X-Rate-Limit-* headers (Unix seconds)', () => {
    const headers = new Headers({ 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '7', 'X-Rate-Limit-Reset': String(nowSeconds + 30) });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({ limit: 600, remaining: 7, resetAtMs: NOW + 30_000 });
  });

  it('reads Auth0 x-ratelimit-* headers', () => {
    const headers = new Headers({ 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds + 2) });
    expect(readRateLimitHeaders(headers, NOW)).toEqual({ limit: 50, remaining: 0, resetAtMs: NOW + 2_000 });
  });

  it('corrects for a skewed local clock using the Date header', () => {
    // The server's clock is one hour behind ours; its reset is 10 s after its own "now".
    const serverNow = NOW - 3_600_000;
    const headers = new Headers({
      date: new Date(serverNow).toUTCString(),
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(serverNow / 1000 + 10),
    });
    expect(readRateLimitHeaders(headers, NOW)?.resetAtMs).toBe(NOW + 10_000);
  });

  it('treats implausibly small reset values as delta seconds, and ignores incomplete headers', () => {
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '5' }), NOW)?.resetAtMs).toBe(NOW + 5_000);
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': '1' }), NOW)).toBeUndefined();
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': 'lots', 'x-ratelimit-reset': '5' }), NOW)).toBeUndefined();
  });
});

describe('Retry-After and reset-based retry delays', () => {
  it('parses Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '3' }), NOW)).toBe(3_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': new Date(NOW + 7_000).toUTCString() }), NOW)).toBe(7_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), NOW)).toBeUndefined();
  });

  it('uses reset headers only on a 429, and never a reset in the past', () => {
    const headers = new Headers({ 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(nowSeconds + 4) });
    expect(serverRetryDelayMs(429, headers, NOW)).toBe(4_000);
    expect(serverRetryDelayMs(503, headers, NOW)).toBeUndefined();
    const past = new Headers({ 'x-ratelimit-reset': String(nowSeconds - 4) });
    expect(serverRetryDelayMs(429, past, NOW)).toBeUndefined();
  });

  it('prefers Retry-After over reset headers', () => {
    const headers = new Headers({ 'retry-after': '1', 'x-ratelimit-reset': String(nowSeconds + 30) });
    expect(serverRetryDelayMs(429, headers, NOW)).toBe(1_000);
  });
});

describe('RateLimitGate', () => {
  it('holds requests until the reset once remaining reaches the threshold', () => {
    const gate = new RateLimitGate({ minRemaining: 2 });
    gate.update('h', { limit: 100, remaining: 3, resetAtMs: NOW + 10_000 });
    expect(gate.delayMs('h', NOW)).toBe(0);
    gate.update('h', { limit: 100, remaining: 2, resetAtMs: NOW + 10_000 });
    expect(gate.delayMs('h', NOW + 4_000)).toBe(6_000);
    expect(gate.delayMs('other', NOW)).toBe(0);
    expect(gate.delayMs('h', NOW + 10_000)).toBe(0);
  });

  it('keeps the lowest remaining count of a window when responses arrive out of order', () => {
    const gate = new RateLimitGate({ minRemaining: 1 });
    gate.update('h', { limit: 10, remaining: 1, resetAtMs: NOW + 5_000 });
    gate.update('h', { limit: 10, remaining: 4, resetAtMs: NOW + 5_000 });
    expect(gate.delayMs('h', NOW)).toBe(5_000);
    // A new window replaces the old one.
    gate.update('h', { limit: 10, remaining: 9, resetAtMs: NOW + 65_000 });
    expect(gate.delayMs('h', NOW)).toBe(0);
  });

  it('caps a single wait at maxWaitMs', () => {
    const gate = new RateLimitGate({ maxWaitMs: 1_000 });
    gate.update('h', { limit: 10, remaining: 0, resetAtMs: NOW + 3_600_000 });
    expect(gate.delayMs('h', NOW)).toBe(1_000);
  });
});

describe('retry policy', () => {
  it('treats GET/HEAD/PUT/DELETE/OPTIONS as idempotent unless the request says otherwise', () => {
    expect(['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'].every((m) => isIdempotent(m))).toBe(true);
    expect(isIdempotent('POST')).toBe(false);
    expect(isIdempotent('PATCH')).toBe(false);
    expect(isIdempotent('POST', true)).toBe(true);
    expect(isIdempotent('GET', false)).toBe(false);
  });

  it('backs off exponentially with full jitter, capped at maxDelayMs', () => {
    const options = { ...DEFAULT_RETRY_OPTIONS, baseDelayMs: 100, maxDelayMs: 1_000 };
    const almostOne = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, options, almostOne))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(200);
  });
});
