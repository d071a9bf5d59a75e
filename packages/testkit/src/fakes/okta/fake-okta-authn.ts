/**
 * `POST /api/v1/authn` and `POST /oauth2[/{id}]/v1/token` of the fake org: password
 * check, lockout after N failures (shown or hidden), and the transaction states.
 */
import { randomBytes } from 'node:crypto';
import type { FakeOktaDirectory, FakeOktaRecord } from './fake-okta-directory';
import { oktaError } from './fake-okta-errors';
import type { FakeAuthnState, FakeOktaOptions } from './fake-okta-types';

/** A handler's answer. */
export interface FakeReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const CANNOT_SIGN_IN = new Set(['STAGED', 'PROVISIONED', 'SUSPENDED', 'DEPROVISIONED', 'RECOVERY']);

type Verdict = { kind: 'bad' } | { kind: 'locked' } | { kind: 'ok'; state: FakeAuthnState; record: FakeOktaRecord };

/** Check a password the way Okta's primary authentication does. */
function verify(directory: FakeOktaDirectory, options: FakeOktaOptions, username: string, password: string, warn: boolean): Verdict {
  const record = directory.find(username);
  if (record === undefined || CANNOT_SIGN_IN.has(record.status)) return { kind: 'bad' };
  if (record.status === 'LOCKED_OUT') return options.showLockout === true ? { kind: 'locked' } : { kind: 'bad' };
  if (record.input.password !== password) {
    record.failures++;
    if (record.failures >= (options.lockoutAfter ?? 10)) directory.setStatus(record, 'LOCKED_OUT');
    return { kind: 'bad' };
  }
  record.failures = 0;
  const { input } = record;
  let state: FakeAuthnState = 'SUCCESS';
  if (input.authnState !== undefined) state = input.authnState;
  // An active factor is asked for before an expired password is dealt with.
  else if (input.mfa === true) state = 'MFA_REQUIRED';
  else if (record.status === 'PASSWORD_EXPIRED') state = 'PASSWORD_EXPIRED';
  else if (input.mfaEnroll === true) state = 'MFA_ENROLL';
  else if (input.passwordWarn === true && warn) state = 'PASSWORD_WARN';
  return { kind: 'ok', state, record };
}

function userSummary(record: FakeOktaRecord): object {
  const profile = record.json.profile as Record<string, unknown>;
  return {
    id: record.json.id,
    passwordChanged: record.json.passwordChanged,
    profile: { login: profile.login, firstName: profile.firstName, lastName: profile.lastName, locale: 'en_US', timeZone: 'America/Los_Angeles' },
  };
}

/** `POST /api/v1/authn`. */
export function authn(directory: FakeOktaDirectory, options: FakeOktaOptions, raw: string, baseUrl: string): FakeReply {
  let body: { username?: unknown; password?: unknown; options?: { warnBeforePasswordExpired?: unknown } };
  try {
    body = JSON.parse(raw) as typeof body;
  } catch {
    return oktaError('E0000003');
  }
  if (typeof body.username !== 'string' || body.username === '') return oktaError('E0000001', 'username', ['username: The field cannot be left blank']);
  if (typeof body.password !== 'string') return oktaError('E0000001', 'password', ['password: The field cannot be left blank']);
  const verdict = verify(directory, options, body.username, body.password, body.options?.warnBeforePasswordExpired === true);
  const expiresAt = new Date(Date.now() + 5 * 60_000).toISOString();
  if (verdict.kind === 'bad') return oktaError('E0000004');
  if (verdict.kind === 'locked') return { status: 200, body: { status: 'LOCKED_OUT', _links: { next: { name: 'unlock', href: `${baseUrl}/api/v1/authn/recovery/unlock`, hints: { allow: ['POST'] } } } } };
  const user = userSummary(verdict.record);
  if (verdict.state === 'SUCCESS') {
    return { status: 200, body: { expiresAt, status: 'SUCCESS', sessionToken: randomBytes(20).toString('base64url'), _embedded: { user } } };
  }
  return {
    status: 200,
    body: {
      stateToken: `00${randomBytes(20).toString('base64url')}`,
      expiresAt,
      status: verdict.state,
      _embedded: { user },
      _links: { cancel: { href: `${baseUrl}/api/v1/authn/cancel`, hints: { allow: ['POST'] } } },
    },
  };
}

function oauthError(status: number, error: string, description: string, extra: object = {}): FakeReply {
  return { status, body: { error, error_description: description, ...extra } };
}

function idToken(sub: string, issuer: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'RS256', kid: 'fake' })}.${part({ sub, iss: issuer, aud: 'fake', iat: now, exp: now + 3600 })}.${randomBytes(32).toString('base64url')}`;
}

/** `POST /oauth2[/{authServerId}]/v1/token` with the resource-owner password grant. */
export function token(directory: FakeOktaDirectory, options: FakeOktaOptions, raw: string, authorization: string | undefined, issuer: string): FakeReply {
  const clients = options.clients ?? [{ clientId: 'fake-client', clientSecret: 'fake-secret' }];
  const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  const [id, secret] = Buffer.from(basic ?? '', 'base64').toString('utf8').split(':').map((s) => decodeURIComponent(s));
  if (!clients.some((c) => c.clientId === id && c.clientSecret === secret)) {
    return oauthError(401, 'invalid_client', 'Client authentication failed. Either the client or the client credentials are invalid.');
  }
  const form = new URLSearchParams(raw);
  if (form.get('grant_type') !== 'password') return oauthError(400, 'unsupported_grant_type', 'The authorization grant type is not supported by the authorization server.');
  const verdict = verify(directory, options, form.get('username') ?? '', form.get('password') ?? '', false);
  if (verdict.kind !== 'ok') return oauthError(400, 'invalid_grant', 'The credentials provided were invalid.');
  if (verdict.state === 'PASSWORD_EXPIRED') return oauthError(400, 'invalid_grant', 'Password has expired.');
  if (verdict.state.startsWith('MFA_')) return oauthError(403, 'mfa_required', 'MFA is required for this transaction.', { mfa_token: randomBytes(24).toString('base64url') });
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      expires_in: 3600,
      access_token: randomBytes(32).toString('base64url'),
      scope: form.get('scope') ?? 'openid',
      id_token: idToken(String(verdict.record.json.id), issuer),
    },
  };
}
