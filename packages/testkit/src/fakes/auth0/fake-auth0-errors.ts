/**
 * Auth0's Management API error bodies (hapi/boom shape): `statusCode`, `error` (the status
 * text), `message` and, for most errors, an `errorCode`; and the OAuth error bodies of
 * `/oauth/token`.
 */

/** A reply of the fake: status, JSON body (or none) and extra headers. */
export interface FakeAuth0Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/** A Management API error reply. */
export function apiError(status: number, message: string, errorCode?: string, extra: Record<string, unknown> = {}): FakeAuth0Reply {
  return {
    status,
    body: { statusCode: status, error: STATUS_TEXT[status] ?? 'Error', message, ...(errorCode === undefined ? {} : { errorCode }), ...extra },
  };
}

/** An `/oauth/token` error reply. */
export function oauthError(status: number, error: string, description: string): FakeAuth0Reply {
  return { status, body: { error, error_description: description } };
}

/** The documented 429 for a third concurrent import job. */
export function tooManyJobs(active: number): FakeAuth0Reply {
  return apiError(429, `There are ${active} active import users jobs, please wait until some of them are finished and try again`, 'too_many_requests');
}

/** The 429 of the request-rate limit: Auth0's message points at the `x-ratelimit-*` headers. */
export const RATE_LIMITED: FakeAuth0Reply = apiError(429, 'Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.', 'too_many_requests');

/** 401 bodies of the Management API. */
export const MISSING_TOKEN: FakeAuth0Reply = apiError(401, 'Missing authentication');
export const INVALID_TOKEN: FakeAuth0Reply = apiError(401, 'Invalid token', undefined, { attributes: { error: 'Invalid token' } });
export const EXPIRED_TOKEN: FakeAuth0Reply = apiError(401, 'Expired token received for JSON Web Token validation', undefined, {
  attributes: { error: 'Expired token received for JSON Web Token validation' },
});
