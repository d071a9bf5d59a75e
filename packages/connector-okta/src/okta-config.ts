/**
 * The Okta connector's settings: their TypeScript shape, the JSON Schema the core
 * validates them with (ajv fills the defaults), and the `ferry init` template.
 */
import type { ConnectorConfigSchema } from '@ferry/core';

/** How a password is checked against Okta. */
export type OktaLoginFlow = 'authn' | 'password_grant';

/** When a mapped profile says `email_verified: true` (Okta does not expose it). */
export type OktaEmailVerified = 'activated' | 'always' | 'never';

/** Settings of the resource-owner password grant (Identity Engine orgs). */
export interface OktaPasswordGrantConfig {
  /** Client id of an OIDC app with the Resource Owner Password grant enabled. */
  clientId: string;
  /** Its client secret. */
  clientSecret: string;
  /** A custom authorization server id (`default`, `aus…`); omitted: the org authorization server. */
  authorizationServerId?: string;
  /** Scopes to request. Default `openid`. */
  scope: string;
}

/** Validated config of the Okta connector. */
export interface OktaConfig {
  /** `https://{yourOktaDomain}`, without a path. */
  orgUrl: string;
  /** An SSWS API token with read access to users. */
  apiToken: string;
  /** `authn` (Classic Engine, default) or `password_grant` (Identity Engine). */
  loginFlow: OktaLoginFlow;
  /** Required when `loginFlow` is `password_grant`. */
  passwordGrant?: OktaPasswordGrantConfig;
  /** When no login equals the email, look for a user whose `profile.email` does. Default true. */
  lookupByEmailFilter: boolean;
  /** Copy `profile.login` into `username` (for logins that are not email addresses). */
  usernameFromLogin: boolean;
  /** See {@link OktaEmailVerified}. Default `activated`. */
  emailVerified: OktaEmailVerified;
  /** Okta profile attributes copied into `user_metadata`. */
  userMetadata: string[];
  /** Okta profile attributes copied into `app_metadata`. */
  appMetadata: string[];
  /** Bulk export settings. */
  export: { pageSize: number; filter?: string; search?: string };
  /** Per-request timeout in milliseconds. */
  timeoutMs: number;
  /** Most requests in flight at once (Okta also limits concurrency per org). */
  maxConcurrency: number;
}

const attributeList = { type: 'array', items: { type: 'string', minLength: 1 }, default: [] };

/** JSON Schema of {@link OktaConfig}. */
export const OKTA_CONFIG_SCHEMA: ConnectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['orgUrl', 'apiToken'],
  properties: {
    orgUrl: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://[^/?#]+/?$',
      'x-hint': 'your Okta org URL without a path, e.g. https://acme.okta.com',
    },
    apiToken: { type: 'string', minLength: 1, 'x-secret': true, 'x-hint': 'Admin Console > Security > API > Tokens; use ${OKTA_API_TOKEN}' },
    loginFlow: { type: 'string', enum: ['authn', 'password_grant'], default: 'authn' },
    passwordGrant: {
      type: 'object',
      additionalProperties: false,
      required: ['clientId', 'clientSecret'],
      properties: {
        clientId: { type: 'string', minLength: 1 },
        clientSecret: { type: 'string', minLength: 1, 'x-secret': true, 'x-hint': 'use ${OKTA_CLIENT_SECRET}' },
        authorizationServerId: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', 'x-hint': "e.g. 'default' or 'aus1abc…'" },
        scope: { type: 'string', default: 'openid' },
      },
    },
    lookupByEmailFilter: { type: 'boolean', default: true },
    usernameFromLogin: { type: 'boolean', default: false },
    emailVerified: { type: 'string', enum: ['activated', 'always', 'never'], default: 'activated' },
    userMetadata: attributeList,
    appMetadata: attributeList,
    export: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 200, 'x-hint': 'Okta allows at most 200' },
        filter: { type: 'string', minLength: 1, 'x-hint': 'e.g. status eq "ACTIVE"' },
        search: { type: 'string', minLength: 1, 'x-hint': 'e.g. status eq "DEPROVISIONED" (search includes deprovisioned users)' },
      },
    },
    timeoutMs: { type: 'integer', minimum: 100, default: 20000 },
    maxConcurrency: { type: 'integer', minimum: 1, maximum: 256, default: 16 },
  },
  if: { properties: { loginFlow: { const: 'password_grant' } }, required: ['loginFlow'] },
  then: { properties: { passwordGrant: { type: 'object' } }, required: ['passwordGrant'] },
};

/** The commented `config:` body `ferry init --connector okta` writes. */
export const OKTA_CONFIG_TEMPLATE = `# Your Okta org, without a path.
orgUrl: https://acme.okta.com
# An SSWS API token (read-only admin is enough) - keep it in the environment.
apiToken: \${OKTA_API_TOKEN}
# authn (Classic Engine) or password_grant (Identity Engine, needs passwordGrant below).
loginFlow: authn
# passwordGrant:
#   clientId: 0oa1example
#   clientSecret: \${OKTA_CLIENT_SECRET}
#   authorizationServerId: default   # omit for the org authorization server
# Okta does not expose email verification: activated | always | never
emailVerified: activated
# Okta profile attributes to carry over.
userMetadata: []
appMetadata: []
# export:
#   pageSize: 200
#   search: status eq "ACTIVE" or status eq "DEPROVISIONED"
`;
