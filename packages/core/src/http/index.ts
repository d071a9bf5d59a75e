/** `@ferry/core` HTTP client: fetch + undici pooling, retries, rate limits, safe errors. */
export { type Clock, systemClock } from './clock';
export { DefaultHttpClientFactory, httpModule } from './http-client-factory';
export { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS, FetchHttpClient } from './http-client';
export { classifyNetworkError, type HttpErrorCode, type NetworkFailure, type RequestTarget } from './http-errors';
export {
  type HttpBody,
  type HttpClient,
  HttpClientFactory,
  type HttpClientOptions,
  type HttpRequest,
  type HttpRequestInit,
  type HttpResponse,
} from './http-types';
export {
  parseRetryAfterMs,
  RateLimitGate,
  type RateLimitGateOptions,
  type RateLimitSnapshot,
  readRateLimitHeaders,
  serverRetryDelayMs,
} from './rate-limit-headers';
export { buildUrl, type QueryParams, type QueryValue } from './request-url';
export { backoffDelayMs, DEFAULT_RETRY_OPTIONS, IDEMPOTENT_METHODS, isIdempotent, type RetryOptions } from './retry';
export { TokenBucket, type TokenBucketOptions } from './token-bucket';
