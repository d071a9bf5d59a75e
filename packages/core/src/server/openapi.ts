/**
 * The OpenAPI 3.1 document served at `/openapi.json`, built from the same schemas
 * fastify validates with.
 */
import { CREATE_USER_BODY, KEYCLOAK_PASSWORD_BODY, KRATOS_BODY, LOGIN_BODY, OKTA_BODY, PASSWORD_BODY } from './schemas';
import type { ServeConfig } from './serve-config';

const json = (schema: object) => ({ content: { 'application/json': { schema } } });
const ERROR = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, hint: { type: 'string' } } } },
};
const err = (description: string) => ({ description, ...json({ $ref: '#/components/schemas/Error' }) });
const common = {
  '400': err('Invalid request (code request_invalid, identifier_invalid, email_invalid, password_invalid)'),
  '401': err('Missing or invalid token or API key (unauthenticated, invalid_token, invalid_credentials_for_api)'),
  '403': err('Token subject or scope not allowed (subject_not_allowed, insufficient_scope)'),
  '503': err("Legacy source unavailable or too slow (legacy_unavailable, legacy_timeout), the token issuer's key set could not be fetched (jwks_unavailable), or the server is shutting down (shutting_down); Retry-After set"),
};
const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
// Path parameters are declared on the path item, so every operation of a template has them.
const emailParams = [pathParam('email', "The user's email.")];

/** Build the document for a server with `config`. */
export function openApiDocument(config: ServeConfig, version: string): object {
  const paths: Record<string, object> = {
    '/v1/login': {
      post: {
        summary: 'Check a password (migrates the user on first success in import mode)',
        requestBody: { required: true, ...json(LOGIN_BODY) },
        responses: {
          '200': { description: 'Valid: { user, source, migrated, flags? }' },
          ...common,
          '401': err('Wrong email, username or password (invalid_credentials) — the same for unknown users — or an auth failure'),
          '403': err('Account refused (user_locked, user_disabled, user_unverified, user_blocked) or auth refusal'),
          '429': err('Too many attempts for this identifier or client (too_many_attempts); Retry-After set'),
        },
      },
    },
    '/v1/users': {
      post: {
        summary: 'Create a user, or with ?dry_run=true check the email is free (store and legacy)',
        parameters: [{ name: 'dry_run', in: 'query', schema: { type: 'boolean' } }],
        requestBody: { required: true, ...json(CREATE_USER_BODY) },
        responses: { '201': { description: '{ user }' }, '200': { description: 'dry run: { available: true }' }, '409': err('user_exists'), ...common },
      },
    },
    // One template, two meanings: OpenAPI forbids two paths that differ only in a parameter name.
    '/v1/users/{emailOrId}': {
      parameters: [pathParam('emailOrId', "GET: the user's email. DELETE: the user's id (user_id).")],
      get: { summary: 'Look a user up by email (getUser)', description: 'The path segment is the email.', responses: { '200': { description: '{ user, source }' }, '404': err('user_not_found'), ...common } },
      delete: { summary: "Delete a user from Ferry's store (legacy untouched)", description: 'The path segment is the user id.', responses: { '204': { description: 'Deleted' }, '404': err('user_not_found'), ...common } },
    },
    '/v1/users/{email}/password': {
      parameters: emailParams,
      post: { summary: 'Set a new password', requestBody: { required: true, ...json(PASSWORD_BODY) }, responses: { '200': { description: '{ changed: true }' }, '404': err('user_not_found'), ...common } },
    },
    '/v1/users/{email}/verify': {
      parameters: emailParams,
      post: { summary: "Mark the user's email as verified", responses: { '200': { description: '{ verified: true }' }, '404': err('user_not_found'), ...common } },
    },
  };
  if (config.adapters.keycloak) {
    paths['/v1/adapters/keycloak/users/{usernameOrEmail}'] = {
      parameters: [pathParam('usernameOrEmail', 'The username or email Keycloak was given.')],
      get: { summary: 'Keycloak user-migration plugin: user lookup', responses: { '200': { description: 'LegacyUser' }, '404': err('not found') } },
      post: { summary: 'Keycloak user-migration plugin: password check', requestBody: { required: true, ...json(KEYCLOAK_PASSWORD_BODY) }, responses: { '200': { description: 'valid' }, '401': err('invalid') } },
    };
  }
  if (config.adapters.kratos) {
    paths['/v1/adapters/kratos/password-migration'] = {
      post: { summary: 'Ory Kratos password-migration hook', requestBody: { required: true, ...json(KRATOS_BODY) }, responses: { '200': { description: '{"status":"password_match"}' }, '403': err('wrong password') } },
    };
  }
  if (config.adapters.okta) {
    paths['/v1/adapters/okta/password-import'] = {
      post: { summary: 'Okta password import inline hook', requestBody: { required: true, ...json(OKTA_BODY) }, responses: { '200': { description: 'commands: com.okta.action.update VERIFIED | UNVERIFIED' } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ferry serve', version, description: 'The secured API in front of a legacy identity store. See docs/SERVE.md.' },
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: { Error: ERROR } },
    paths,
  };
}
