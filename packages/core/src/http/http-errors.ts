/**
 * Turning transport failures into Ferry errors. Messages and details name only the
 * method, host and path: never the query string, headers or bodies, which may hold
 * secrets (Gigya's userKey, Okta's SSWS token, passwords in login bodies).
 */
import { DataError, FerryError, TransientError } from '../errors';

/** Error codes raised by the HTTP client. */
export type HttpErrorCode =
  /** Transient: the whole-request, connect, headers or body timeout fired. */
  | 'http_timeout'
  /** Transient: connection refused/reset, DNS failure, socket closed. */
  | 'http_network'
  /** Transient: the server kept answering 5xx. */
  | 'http_5xx'
  /** Transient: the server kept answering 429, or asked for a longer wait than allowed. */
  | 'http_rate_limited'
  /** Data: the response body exceeded `maxBodyBytes`. */
  | 'http_body_too_large'
  /** Data: `json()` on a body that is not JSON. */
  | 'http_invalid_json'
  /** Config: a relative URL without `baseUrl`, or an unparseable URL. */
  | 'http_invalid_url'
  /** Internal: the client was used after `close()`. */
  | 'http_client_closed';

/** What a request may safely be identified by in logs and errors. */
export interface RequestTarget {
  method: string;
  host: string;
  path: string;
}

/** `details` of an HTTP error: identifiers only. */
export function targetDetails(target: RequestTarget, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { method: target.method, host: target.host, path: target.path, ...extra };
}

function describe(target: RequestTarget): string {
  return `${target.method} ${target.host}${target.path}`;
}

/** How a failed fetch should be classified. */
export interface NetworkFailure {
  code: 'http_timeout' | 'http_network';
  /** The low-level code (`ECONNREFUSED`, `UND_ERR_HEADERS_TIMEOUT`…), when known. */
  systemCode: string | undefined;
}

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

// undici error class names and their codes. When the agent's errors come from another
// realm (jest's vm), Node's fetch keeps only `String(error)`, so the name is all we get.
const UNDICI_ERROR_NAMES: Readonly<Record<string, string>> = {
  HeadersTimeoutError: 'UND_ERR_HEADERS_TIMEOUT',
  BodyTimeoutError: 'UND_ERR_BODY_TIMEOUT',
  ConnectTimeoutError: 'UND_ERR_CONNECT_TIMEOUT',
  SocketError: 'UND_ERR_SOCKET',
};

/** Find the most specific error code in a fetch failure (fetch wraps the real error in `cause`). */
export function classifyNetworkError(err: unknown): NetworkFailure {
  let current: unknown = err;
  let systemCode: string | undefined;
  // Not only Error instances: some layers (and test doubles) reject with plain objects.
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const { code, name, message, cause } = current as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string') systemCode = code;
    if (name === 'TimeoutError') return { code: 'http_timeout', systemCode: systemCode ?? 'TimeoutError' };
    if (systemCode === undefined && typeof message === 'string') {
      const known = Object.keys(UNDICI_ERROR_NAMES).find((errorName) => message.startsWith(`${errorName}:`));
      if (known !== undefined) systemCode = UNDICI_ERROR_NAMES[known];
    }
    current = cause;
  }
  return { code: systemCode !== undefined && TIMEOUT_CODES.has(systemCode) ? 'http_timeout' : 'http_network', systemCode };
}

/** A cause safe to keep: low-level code and a message with any URL query removed. */
function safeCause(err: unknown, systemCode: string | undefined): Error {
  const inner = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const raw = (inner as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : 'network error';
  const cause = new Error(message.replace(/\?[^\s'"]*/g, '?…'));
  if (systemCode !== undefined) (cause as Error & { code?: string }).code = systemCode;
  return cause;
}

/** A timeout or network failure after the last attempt. */
export function networkError(target: RequestTarget, err: unknown, failure: NetworkFailure, attempts: number, timeoutMs: number): TransientError {
  const what = failure.code === 'http_timeout' ? `timed out (${failure.systemCode ?? `after ${timeoutMs} ms`})` : `failed (${failure.systemCode ?? 'network error'})`;
  return new TransientError(failure.code, `${describe(target)} ${what} after ${attempts} attempt(s)`, {
    hint:
      failure.code === 'http_timeout'
        ? 'The server is slow or unreachable; retry later or raise timeoutMs.'
        : 'Check the host name, network and firewall; the call can be retried later.',
    cause: safeCause(err, failure.systemCode),
    details: targetDetails(target, { attempts, ...(failure.systemCode === undefined ? {} : { systemCode: failure.systemCode }) }),
  });
}

/** The server answered 5xx or 429 on the last attempt (or asked for too long a wait). */
export function statusError(target: RequestTarget, status: number, attempts: number, retryAfterMs: number | undefined): TransientError {
  const rateLimited = status === 429;
  return new TransientError(rateLimited ? 'http_rate_limited' : 'http_5xx', `${describe(target)} answered HTTP ${status} after ${attempts} attempt(s)`, {
    hint: rateLimited
      ? 'The remote API is rate limiting Ferry; lower rateLimit.ratePerSecond or retry later.'
      : 'The remote service is failing; retry later.',
    details: targetDetails(target, { status, attempts }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The body was larger than allowed. */
export function bodyTooLargeError(target: RequestTarget, status: number, maxBodyBytes: number): DataError {
  return new DataError('http_body_too_large', `${describe(target)} returned a body larger than ${maxBodyBytes} bytes`, {
    hint: 'Ask for smaller pages, or raise maxBodyBytes for this request.',
    details: targetDetails(target, { status, maxBodyBytes }),
  });
}

/** The body was not valid JSON. The body itself is never included. */
export function invalidJsonError(target: RequestTarget, status: number, err: unknown): DataError {
  const reason = err instanceof SyntaxError ? 'invalid JSON' : 'unreadable JSON';
  return new DataError('http_invalid_json', `${describe(target)} returned ${reason} (HTTP ${status})`, {
    hint: 'The endpoint did not return JSON; check the base URL and that the service is the expected one.',
    details: targetDetails(target, { status }),
  });
}

/** The client was used after `close()`. */
export function closedError(name: string): FerryError {
  return new FerryError('http_client_closed', 'internal', `HTTP client "${name}" was used after close()`);
}
