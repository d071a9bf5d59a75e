/**
 * The HTTP client contract connectors program against, and its options.
 */
import type { ServiceIdentifier } from 'inversify';
import type { Clock } from './clock';
import type { RateLimitGateOptions } from './rate-limit-headers';
import type { QueryParams } from './request-url';
import type { RetryOptions } from './retry';

/** A request body. All of these can be sent again on a retry. */
export type HttpBody = string | Uint8Array | URLSearchParams | FormData;

/** One HTTP request. */
export interface HttpRequest {
  /** HTTP method. Default `GET`. */
  method?: string | undefined;
  /** Absolute URL, or a path joined to the client's `baseUrl`. */
  url: string;
  /** Query parameters appended to the URL (never logged). */
  query?: QueryParams | undefined;
  /** Request headers, merged over the client's headers (never logged). */
  headers?: Record<string, string> | Headers | undefined;
  /** Raw body. Mutually exclusive with `json`. */
  body?: HttpBody | undefined;
  /** A value sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /**
   * Whether the request may be repeated after a 5xx, timeout or network error.
   * Default: true for GET, HEAD, PUT, DELETE, OPTIONS. 429s are retried regardless.
   */
  idempotent?: boolean | undefined;
  /** Caller cancellation; aborting rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout overriding the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Overrides the client's `retries.maxAttempts` for this request. */
  maxAttempts?: number | undefined;
  /**
   * Return a final 5xx response instead of throwing `http_5xx` (retries still happen;
   * combine with `maxAttempts: 1` to see the first one, e.g. Okta's 500 on a big page).
   */
  returnServerErrors?: boolean | undefined;
  /** Overrides the client's `maxBodyBytes`. */
  maxBodyBytes?: number | undefined;
  /**
   * Quota bucket for rate-limit headers, for APIs whose limits differ per endpoint
   * (Okta's authn vs users API). Default: one bucket per host.
   */
  rateLimitKey?: string | undefined;
}

/** Per-call options of the convenience methods (`get`, `post`…). */
export type HttpRequestInit = Omit<HttpRequest, 'url' | 'method'>;

/** A response whose body has been read in full. */
export interface HttpResponse {
  /** HTTP status code. */
  readonly status: number;
  /** True for 2xx. */
  readonly ok: boolean;
  /** Response headers. */
  readonly headers: Headers;
  /** The raw body. */
  readonly body: Buffer;
  /** How many attempts it took. */
  readonly attempts: number;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; throws a `DataError` `http_invalid_json` (without the body) if it is not. */
  json<T = unknown>(): T;
}

/** Options of one HTTP client. Every field has a default. */
export interface HttpClientOptions {
  /** Name shown in log lines (`client` field). Default `http`. */
  name?: string | undefined;
  /** Base URL relative request URLs are joined to, e.g. `https://acme.okta.com/api/v1`. */
  baseUrl?: string | undefined;
  /** Headers sent with every request (e.g. `authorization`); never logged. */
  headers?: Record<string, string> | undefined;
  /** `user-agent` header. Default `ferry`. */
  userAgent?: string | undefined;
  /** Timeout of one attempt, from sending to the last body byte. Default 20000 (as Auth0 scripts). */
  timeoutMs?: number | undefined;
  /** TCP/TLS connect timeout. Default 10000. */
  connectTimeoutMs?: number | undefined;
  /** Agent timeout waiting for response headers. Default `timeoutMs`. */
  headersTimeoutMs?: number | undefined;
  /** Agent timeout between body chunks. Default `timeoutMs`. */
  bodyTimeoutMs?: number | undefined;
  /** How long an idle pooled connection is kept. Default 10000. */
  keepAliveTimeoutMs?: number | undefined;
  /** Maximum connections per origin. Default 16. */
  maxConnections?: number | undefined;
  /** Largest response body accepted, in bytes. Default 10 MiB. */
  maxBodyBytes?: number | undefined;
  /** Retry bounds; unspecified fields take {@link DEFAULT_RETRY_OPTIONS}. */
  retries?: Partial<RetryOptions> | undefined;
  /** Client-side token bucket. Default: none. `burst` defaults to `ceil(ratePerSecond)`. */
  rateLimit?: { ratePerSecond: number; burst?: number | undefined } | undefined;
  /**
   * Proactive slowdown from `X-Rate-Limit-*`/`x-ratelimit-*` headers
   * (defaults `minRemaining` 2, `maxWaitMs` 60000); `false` turns it off.
   */
  rateLimitHeaders?: RateLimitGateOptions | false | undefined;
  /** Time source for waits. Default the system clock. */
  clock?: Clock | undefined;
  /** Random source for jitter, in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** An HTTP client with pooling, retries, rate limiting and timeouts built in. */
export interface HttpClient {
  /** The client's name, as used in logs. */
  readonly name: string;
  /**
   * Send a request. Resolves with 2xx/3xx/4xx responses (redirects are not followed);
   * rejects with a `TransientError` on timeouts, network errors, 5xx and 429 once
   * retries are exhausted.
   */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** `request({ ...init, method: 'GET', url })`. */
  get(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
  /** `request({ ...init, method: 'POST', url })`. */
  post(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
  /** `request({ ...init, method: 'PUT', url })`. */
  put(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
  /** `request({ ...init, method: 'DELETE', url })`. */
  delete(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
  /** Destroy the connection pool; later requests fail with `http_client_closed`. */
  close(): Promise<void>;
}

/** Creates HTTP clients; connectors get one injected and create a client per remote API. */
export interface HttpClientFactory {
  /** Create a client with its own connection pool and limiter. */
  create(options?: HttpClientOptions): HttpClient;
}

/** DI token of the {@link HttpClientFactory}. */
export const HttpClientFactory: ServiceIdentifier<HttpClientFactory> = Symbol.for('@ferry/core/HttpClientFactory');
