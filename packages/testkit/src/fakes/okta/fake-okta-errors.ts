/**
 * Okta's error bodies, byte for byte in shape: errorCode, errorSummary, errorLink (the
 * code again), errorId (random) and errorCauses.
 */
import { randomBytes } from 'node:crypto';

/** Summaries of the errors the fake answers. */
export const OKTA_ERRORS = {
  E0000001: { status: 400, summary: 'Api validation failed: {0}' },
  E0000003: { status: 400, summary: 'The request body was not well-formed.' },
  E0000004: { status: 401, summary: 'Authentication failed' },
  E0000005: { status: 403, summary: 'Invalid session' },
  E0000006: { status: 403, summary: 'You do not have permission to perform the requested action' },
  E0000007: { status: 404, summary: 'Not found: Resource not found: {0} (User)' },
  E0000009: { status: 500, summary: 'Internal Server Error' },
  E0000011: { status: 401, summary: 'Invalid token provided' },
  E0000047: { status: 429, summary: 'API call exceeded rate limit due to too many requests.' },
  E0000064: { status: 401, summary: 'Password is expired and must be changed.' },
  E0000119: { status: 403, summary: 'Your account is locked. Please contact your administrator.' },
} as const;

/** An Okta error code the fake knows. */
export type OktaErrorCode = keyof typeof OKTA_ERRORS;

/** Status and body of an Okta error, with `{0}` replaced by `arg`. */
export function oktaError(code: OktaErrorCode, arg = '', causes: string[] = []): { status: number; body: object } {
  const { status, summary } = OKTA_ERRORS[code];
  return {
    status,
    body: {
      errorCode: code,
      errorSummary: summary.replace('{0}', arg),
      errorLink: code,
      errorId: `oae${randomBytes(11).toString('base64url')}`,
      errorCauses: causes.map((errorSummary) => ({ errorSummary })),
    },
  };
}
