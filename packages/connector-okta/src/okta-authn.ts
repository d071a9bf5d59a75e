/**
 * Password check through Classic Engine primary authentication, `POST /api/v1/authn`,
 * as a public app call (no API token). Every transaction state past the password check
 * means the password was right.
 */
import { DataError, type HttpClient, type LoginFlags } from '@ferry/core';
import { readErrorBody, type OktaErrorBody, unexpectedResponse } from './okta-errors';
import type { PasswordCheck } from './password-check';

/** Rate-limit bucket of authentication endpoints. */
export const AUTHN_BUCKET = 'okta-authn';

/** An authn transaction, as far as the connector reads it. */
interface AuthnTransaction {
  status: string;
  _embedded?: { user?: { id?: string } };
}

/** States reached only with the right password, and what they say about the account. */
const VERIFIED_STATES: Readonly<Record<string, LoginFlags>> = {
  SUCCESS: {},
  PASSWORD_WARN: { passwordWarn: true },
  PASSWORD_EXPIRED: { passwordExpired: true },
  MFA_REQUIRED: { mfaRequired: true },
  MFA_CHALLENGE: { mfaRequired: true },
  MFA_ENROLL: { mfaEnroll: true },
  MFA_ENROLL_ACTIVATE: { mfaEnroll: true },
};

/** Check `password` for `username` with `/api/v1/authn`. */
export async function checkWithAuthn(http: HttpClient, username: string, password: string): Promise<PasswordCheck> {
  const res = await http.post('/api/v1/authn', {
    json: { username, password, options: { multiOptionalFactorEnroll: false, warnBeforePasswordExpired: true } },
    headers: { accept: 'application/json' },
    rateLimitKey: AUTHN_BUCKET,
    // A repeated failed attempt would count twice towards lockout.
    idempotent: false,
  });
  if (res.status === 200) {
    const tx = res.json<AuthnTransaction>();
    const flags = VERIFIED_STATES[tx.status];
    const userId = tx._embedded?.user?.id;
    if (flags !== undefined) {
      return { verified: true, user: userId ?? username, ...(Object.keys(flags).length > 0 ? { flags } : {}) };
    }
    if (tx.status === 'LOCKED_OUT') return { verified: false, reason: 'locked', message: 'The Okta account is locked out.' };
    if (tx.status === 'UNAUTHENTICATED') return { verified: false, reason: 'invalid_credentials' };
    // RECOVERY, RECOVERY_CHALLENGE, PASSWORD_RESET belong to recovery flows: no password was checked.
    throw new DataError('okta_unexpected_state', `Okta primary authentication answered state ${tx.status}`, {
      hint: 'This state belongs to a recovery flow; the password was not verified. Check the org\'s authentication policy.',
      details: { status: tx.status },
    });
  }
  const code = readErrorBody<OktaErrorBody>(res).errorCode;
  // Wrong password, unknown user and (hidden) lockout all look alike on purpose.
  if (res.status === 401 && code === 'E0000004') return { verified: false, reason: 'invalid_credentials' };
  // Okta validates the password before refusing an expired one.
  if (res.status === 401 && code === 'E0000064') return { verified: true, user: username, flags: { passwordExpired: true } };
  if (res.status === 403 && code === 'E0000119') return { verified: false, reason: 'locked', message: 'The Okta account is locked.' };
  // An empty or malformed username fails validation rather than authentication.
  if (res.status === 400 && code === 'E0000001') return { verified: false, reason: 'invalid_credentials' };
  throw unexpectedResponse('Okta primary authentication', res);
}
