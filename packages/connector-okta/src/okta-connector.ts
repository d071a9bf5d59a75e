/**
 * The Okta connector: check a password (authn or password grant), then read the full
 * user from the Users API so `login`, `getByEmail` and `exportUsers` share one mapper.
 */
import type { Connector, ConnectorContext, LoginOutcome, UserProfile } from '@ferry/core';
import type { OktaConfig } from './okta-config';
import { checkWithAuthn } from './okta-authn';
import { exportOktaUsers } from './okta-export';
import { checkWithPasswordGrant } from './okta-password-grant';
import { type ProfileMapping, toUserProfile } from './okta-profile';
import { OktaUsersApi } from './okta-users';
import type { PasswordCheck } from './password-check';

/** Create a live Okta connector from validated config. */
export function createOktaConnector(config: OktaConfig, context: ConnectorContext): Connector {
  const http = context.http.create({
    name: 'okta',
    baseUrl: config.orgUrl,
    timeoutMs: config.timeoutMs,
    // Okta also limits concurrent requests per org; the pool queues the rest.
    maxConnections: config.maxConcurrency,
    userAgent: 'ferry-connector-okta',
  });
  const users = new OktaUsersApi(http, config.apiToken);
  const mapping: ProfileMapping = config;
  const grant = config.passwordGrant;

  const check = (identifier: string, password: string): Promise<PasswordCheck> =>
    config.loginFlow === 'password_grant' && grant !== undefined
      ? checkWithPasswordGrant(http, grant, identifier, password)
      : checkWithAuthn(http, identifier, password);

  return {
    id: 'okta',

    async login(identifier: string, password: string): Promise<LoginOutcome> {
      const result = await check(identifier, password);
      if (!result.verified) return { ok: false, reason: result.reason, ...(result.message === undefined ? {} : { message: result.message }) };
      const user = await users.get(result.user);
      // Deleted between the two calls: the password no longer leads anywhere.
      if (user === null) return { ok: false, reason: 'not_found' };
      return { ok: true, profile: toUserProfile(user, mapping), ...(result.flags === undefined ? {} : { flags: result.flags }) };
    },

    async getByEmail(email: string): Promise<UserProfile | null> {
      // Okta looks logins up case-insensitively (Auth0's published Okta scripts do this);
      // orgs whose logins are not emails are found through a filter on profile.email.
      const user = (await users.get(email)) ?? (config.lookupByEmailFilter ? await users.findByEmail(email) : null);
      return user === null ? null : toUserProfile(user, mapping);
    },

    exportUsers: (options) => exportOktaUsers(users, config, mapping, options),

    close: () => http.close(),
  };
}
