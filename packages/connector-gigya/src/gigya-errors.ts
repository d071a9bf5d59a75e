/**
 * Gigya's envelope error codes and what each means for Ferry. Gigya answers HTTP 200
 * with the outcome in `errorCode`, so this table is the connector's whole error model.
 * Messages are built from codes only: Gigya's `errorDetails` can echo request values.
 */
import { AuthError, ConfigError, DataError, type FerryError, type LoginFailureReason, type LoginFlags, TransientError } from '@ferry/core';

/** The response envelope every Gigya method shares. */
export interface GigyaEnvelope {
  callId?: string;
  errorCode: number;
  errorMessage?: string;
  errorDetails?: string;
  statusCode?: number;
  statusReason?: string;
  time?: string;
  apiDomain?: string;
  [key: string]: unknown;
}

/** Documented codes the connector acts on. */
export const GIGYA_CODES = {
  ok: 0,
  pendingRegistration: 206001,
  pendingVerification: 206002,
  invalidDataCenter: 301001,
  invalidParameter: 400006,
  invalidApiKey: 400093,
  requestExpired: 403002,
  invalidSignature: 403003,
  unauthorizedUser: 403005,
  accountDisabled: 403041,
  invalidLoginId: 403042,
  rateLimited: 403048,
  pendingPasswordChange: 403100,
  pendingTfa: 403101,
  lockedOut: 403120,
  concurrentRequests: 409030,
} as const;

/** Login codes that say the password was right, with the flag each raises. */
export const LOGIN_PASSWORD_RIGHT: Readonly<Record<number, LoginFlags>> = {
  [GIGYA_CODES.pendingVerification]: { unverified: true },
  [GIGYA_CODES.pendingTfa]: { mfaRequired: true },
  [GIGYA_CODES.pendingPasswordChange]: { passwordChangeRequired: true },
};

/** Login codes that are typed failures. */
export const LOGIN_FAILURES: Readonly<Record<number, LoginFailureReason>> = {
  [GIGYA_CODES.invalidLoginId]: 'invalid_credentials',
  [GIGYA_CODES.lockedOut]: 'locked',
  [GIGYA_CODES.accountDisabled]: 'disabled',
  // Registration never finished (missing required fields): not a usable account yet.
  [GIGYA_CODES.pendingRegistration]: 'unverified',
};

/** Whether `code` is worth retrying: rate limits, concurrency and any 5xxxxx server error. */
export function isTransientCode(code: number): boolean {
  return code === GIGYA_CODES.rateLimited || code === GIGYA_CODES.concurrentRequests || (code >= 500000 && code < 600000);
}

/** A typed error for a non-zero envelope the caller does not handle itself. */
export function envelopeError(method: string, envelope: GigyaEnvelope, dataCenter: string): FerryError {
  const code = envelope.errorCode;
  const details = { method, errorCode: code, callId: envelope.callId };
  const what = `Gigya ${method} answered ${code}${envelope.errorMessage ? ` (${envelope.errorMessage.slice(0, 80)})` : ''}`;
  if (isTransientCode(code)) {
    return new TransientError(code === GIGYA_CODES.rateLimited ? 'gigya_rate_limited' : 'gigya_unavailable', `${what}.`, {
      hint: code === GIGYA_CODES.rateLimited ? 'Lower requestsPerSecond or ask SAP for a higher API rate limit.' : 'Gigya had a temporary failure; the call can be retried later.',
      details,
    });
  }
  switch (code) {
    case GIGYA_CODES.invalidDataCenter:
      return new ConfigError('gigya_wrong_data_center', `${what}: the API key is served by another data center than ${dataCenter}.`, {
        hint: `Set dataCenter to the site's data center${typeof envelope.apiDomain === 'string' ? ` (Gigya says ${envelope.apiDomain})` : ''}.`,
        details: { ...details, apiDomain: envelope.apiDomain },
      });
    case GIGYA_CODES.invalidApiKey:
      return new ConfigError('gigya_invalid_api_key', `${what}.`, { hint: 'Check apiKey against Console > Site Settings.', details });
    case GIGYA_CODES.requestExpired:
      return new AuthError('gigya_request_expired', `${what}: the signed request's timestamp is too far from Gigya's clock.`, {
        hint: "Sync this machine's clock (NTP), or use auth: secret.",
        details,
      });
    case GIGYA_CODES.invalidSignature:
    case GIGYA_CODES.unauthorizedUser:
      return new AuthError('gigya_auth_failed', `${what}.`, {
        hint: 'Check userKey and secret, and that the application key has permission for accounts.search and accounts.getAccountInfo on this site.',
        details,
      });
    default:
      return new DataError('gigya_error', `${what}.`, { hint: 'See Gigya\u2019s response codes reference for this errorCode.', details });
  }
}
