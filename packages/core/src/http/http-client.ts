/**
 * The HTTP client connectors use: Node's global `fetch` (so nock can intercept it in tests)
 * over a private undici `Agent` (pooling, keep-alive, connect/headers/body timeouts), with
 * retries, client-side and server-announced rate limits, and secret-free logs and errors.
 */
import { performance } from 'node:perf_hooks';
import type { Agent } from 'undici';
import { undiciModule } from '../lazy-deps';
import { ConfigError, FerryError } from '../errors';
import type { Logger } from '../logging/logger';
import { type Clock, systemClock } from './clock';
import {
  classifyNetworkError,
  closedError,
  type NetworkFailure,
  networkError,
  type RequestTarget,
  statusError,
} from './http-errors';
import { BufferedHttpResponse, readBody } from './http-response';
import type { HttpBody, HttpClient, HttpClientOptions, HttpRequest, HttpRequestInit, HttpResponse } from './http-types';
import { parseRetryAfterMs, RateLimitGate, readRateLimitHeaders, serverRetryDelayMs } from './rate-limit-headers';
import { buildUrl, requestTarget } from './request-url';
import { backoffDelayMs, DEFAULT_RETRY_OPTIONS, isIdempotent, NOT_SENT_ERROR_CODES, type RetryOptions } from './retry';
import { TokenBucket } from './token-bucket';

/** Default of {@link HttpClientOptions.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 20_000;
/** Default of {@link HttpClientOptions.connectTimeoutMs}. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** Default of {@link HttpClientOptions.maxBodyBytes} (10 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

type Outcome =
  | { kind: 'response'; response: HttpResponse }
  | { kind: 'error'; error: unknown; failure: NetworkFailure };

// Node's bundled fetch accepts a dispatcher from the newer undici package too; its types
// only know the bundled version's, hence our own field and one cast at the call.
type FetchInit = Omit<RequestInit, 'dispatcher'> & { dispatcher: Agent };

/** The fetch-based {@link HttpClient}. Create it through the {@link HttpClientFactory}. */
export class FetchHttpClient implements HttpClient {
  readonly name: string;
  private readonly agent: Agent;
  private readonly log: Logger;
  private readonly retry: RetryOptions;
  private readonly bucket: TokenBucket | undefined;
  private readonly gate: RateLimitGate | undefined;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private readonly baseUrl: string | undefined;
  private readonly headers: Headers;
  private closed = false;

  constructor(options: HttpClientOptions, logger: Logger) {
    this.name = options.name ?? 'http';
    // pino's child() type differs from Logger only in an optional-property detail.
    this.log = logger.child({ component: 'http', client: this.name }) as Logger;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.baseUrl = options.baseUrl;
    this.retry = { ...DEFAULT_RETRY_OPTIONS, ...options.retries };
    this.bucket = options.rateLimit && new TokenBucket({ ...options.rateLimit, clock: this.clock });
    this.gate = options.rateLimitHeaders === false ? undefined : new RateLimitGate(options.rateLimitHeaders);
    this.headers = new Headers(options.headers);
    this.headers.set('user-agent', options.userAgent ?? 'ferry');
    this.agent = new (undiciModule().Agent)({
      connect: { timeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
      headersTimeout: options.headersTimeoutMs ?? this.timeoutMs,
      bodyTimeout: options.bodyTimeoutMs ?? this.timeoutMs,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      connections: options.maxConnections ?? 16,
    });
  }

  get(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
    return this.request({ ...init, method: 'GET', url });
  }

  post(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
    return this.request({ ...init, method: 'POST', url });
  }

  put(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
    return this.request({ ...init, method: 'PUT', url });
  }

  delete(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
    return this.request({ ...init, method: 'DELETE', url });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.destroy();
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    if (this.closed) throw closedError(this.name);
    const method = (request.method ?? 'GET').toUpperCase();
    const url = buildUrl(request.url, this.baseUrl, request.query);
    const target = requestTarget(method, url);
    const init = this.fetchInit(method, request);
    const idempotent = isIdempotent(method, request.idempotent);
    const maxAttempts = Math.max(1, request.maxAttempts ?? this.retry.maxAttempts);
    const quotaKey = request.rateLimitKey ?? url.host;
    const { signal } = request;
    let waitedMs = 0;

    for (let attempt = 1; ; attempt++) {
      await this.throttle(quotaKey, target, signal);
      const outcome = await this.attempt(url, init, target, attempt, request, quotaKey);
      let retryable: boolean;
      let serverDelayMs: number | undefined;
      if (outcome.kind === 'response') {
        const { status, headers } = outcome.response;
        if (status < 500 && status !== 429) return outcome.response;
        serverDelayMs = serverRetryDelayMs(status, headers, this.clock.now());
        // A 429 was not processed, so even a POST can be sent again.
        retryable = status === 429 || idempotent;
      } else {
        retryable = idempotent || NOT_SENT_ERROR_CODES.has(outcome.failure.systemCode ?? '');
      }
      const delayMs = serverDelayMs ?? backoffDelayMs(attempt, this.retry, this.random);
      if (!retryable || attempt >= maxAttempts || waitedMs + delayMs > this.retry.maxTotalWaitMs) {
        return this.giveUp(outcome, target, attempt, request, serverDelayMs);
      }
      this.log.debug({ ...target, attempt, delayMs }, 'http retry scheduled');
      await this.clock.sleep(delayMs, signal);
      waitedMs += delayMs;
    }
  }

  private giveUp(outcome: Outcome, target: RequestTarget, attempts: number, request: HttpRequest, retryAfterMs: number | undefined): HttpResponse {
    if (outcome.kind === 'error') {
      throw networkError(target, outcome.error, outcome.failure, attempts, request.timeoutMs ?? this.timeoutMs);
    }
    const { status } = outcome.response;
    if (status >= 500 && request.returnServerErrors === true) return outcome.response;
    throw statusError(target, status, attempts, retryAfterMs);
  }

  /** Wait for server-announced quota, then for a token of the client's own bucket. */
  private async throttle(quotaKey: string, target: RequestTarget, signal: AbortSignal | undefined): Promise<void> {
    const delayMs = this.gate?.delayMs(quotaKey, this.clock.now()) ?? 0;
    if (delayMs > 0) {
      this.log.debug({ ...target, delayMs }, 'http waiting for rate-limit reset');
      await this.clock.sleep(delayMs, signal);
    }
    await this.bucket?.acquire(signal);
  }

  /** Feed the gate, so concurrent requests hold off too instead of collecting 429s. */
  private recordQuota(quotaKey: string, status: number, headers: Headers): void {
    if (this.gate === undefined) return;
    const now = this.clock.now();
    const quota = readRateLimitHeaders(headers, now);
    if (quota !== undefined) {
      this.gate.update(quotaKey, quota);
      return;
    }
    const retryAfterMs = status === 429 ? parseRetryAfterMs(headers, now) : undefined;
    if (retryAfterMs !== undefined) this.gate.update(quotaKey, { limit: undefined, remaining: 0, resetAtMs: now + retryAfterMs });
  }

  private async attempt(url: URL, init: FetchInit, target: RequestTarget, attempt: number, request: HttpRequest, quotaKey: string): Promise<Outcome> {
    const caller = request.signal;
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    const signal = caller === undefined ? timeout.signal : AbortSignal.any([caller, timeout.signal]);
    const started = performance.now();
    try {
      const res = await fetch(url, { ...init, signal } as unknown as RequestInit);
      const body = await readBody(res, target, request.maxBodyBytes ?? this.maxBodyBytes);
      this.recordQuota(quotaKey, res.status, res.headers);
      const durationMs = Math.round(performance.now() - started);
      this.log.debug({ ...target, status: res.status, durationMs, attempt }, 'http request');
      return { kind: 'response', response: new BufferedHttpResponse(res.status, res.headers, body, attempt, target) };
    } catch (error) {
      if (caller?.aborted === true) throw caller.reason;
      if (error instanceof FerryError) throw error;
      const failure: NetworkFailure = timeout.signal.aborted ? { code: 'http_timeout', systemCode: undefined } : classifyNetworkError(error);
      const durationMs = Math.round(performance.now() - started);
      this.log.debug({ ...target, error: failure.code, systemCode: failure.systemCode, durationMs, attempt }, 'http request failed');
      return { kind: 'error', error, failure };
    } finally {
      clearTimeout(timer);
    }
  }

  private fetchInit(method: string, request: HttpRequest): FetchInit {
    const headers = new Headers(this.headers);
    new Headers(request.headers).forEach((value, key) => headers.set(key, value));
    let body: HttpBody | undefined;
    if (request.json !== undefined) {
      if (request.body !== undefined) {
        throw new ConfigError('config_invalid', 'An HTTP request cannot have both body and json');
      }
      body = JSON.stringify(request.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    } else if (request.body !== undefined) {
      body = request.body;
    }
    // Redirects are returned to the caller: following them could send credentials to another host.
    return { method, headers, redirect: 'manual', dispatcher: this.agent, ...(body === undefined ? {} : { body }) };
  }
}
