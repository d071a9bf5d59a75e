/**
 * Password check through the OAuth 2.0 resource-owner password grant, for Identity
 * Engine orgs: `POST /oauth2[/{authorizationServerId}]/v1/token` with client Basic auth.
 */
import { ConfigError, type HttpClient } from '@ferry/core';
import { AUTHN_BUCKET } from './okta-authn';
import type { OktaPasswordGrantConfig } from './okta-config';
import { type OAuthErrorBody, readErrorBody, unexpectedResponse } from './okta-errors';
import type { PasswordCheck } from './password-check';

/** The `sub` claim of an ID token, read without verification: it came straight from Okta over TLS. */
function subjectOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}

/** Check `password` for `username` with the password grant. */
export async function checkWithPasswordGrant(http: HttpClient, grant: OktaPasswordGrantConfig, username: string, password: string): Promise<PasswordCheck> {
  const path = grant.authorizationServerId === undefined ? '/oauth2/v1/token' : `/oauth2/${grant.authorizationServerId}/v1/token`;
  const basic = Buffer.from(`${encodeURIComponent(grant.clientId)}:${encodeURIComponent(grant.clientSecret)}`).toString('base64');
  const res = await http.post(path, {
    body: new URLSearchParams({ grant_type: 'password', username, password, scope: grant.scope }),
    headers: { authorization: `Basic ${basic}`, accept: 'application/json' },
    rateLimitKey: AUTHN_BUCKET,
    idempotent: false,
  });
  if (res.status === 200) {
    // The org server's ID token names the user by Okta id; fall back to the login.
    return { verified: true, user: subjectOf(res.json<{ id_token?: string }>().id_token) ?? username };
  }
  const { error, error_description: description = '' } = readErrorBody<OAuthErrorBody>(res);
  if (res.status === 403 && error === 'mfa_required') return { verified: true, user: username, flags: { mfaRequired: true } };
  if (res.status === 400 && error === 'invalid_grant') {
    if (/expired/i.test(description)) return { verified: true, user: username, flags: { passwordExpired: true } };
    if (/MFA/i.test(description)) {
      // Okta refuses before telling whether the password was right: no answer is honest here.
      throw new ConfigError('okta_password_grant_mfa', 'Okta refused the password grant because the sign-on policy requires MFA', {
        hint: "Exempt this client from MFA in its authentication policy, or use loginFlow 'authn'.",
      });
    }
    return { verified: false, reason: 'invalid_credentials' };
  }
  throw unexpectedResponse('Okta password grant', res);
}
