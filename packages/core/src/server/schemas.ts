/**
 * JSON Schemas of the request bodies, shared by fastify (validation) and `/openapi.json`.
 */
import { MAX_PASSWORD_LENGTH } from '../engine/migration-engine';

const identifier = { type: 'string', minLength: 1, maxLength: 512 } as const;
const password = { type: 'string', minLength: 1, maxLength: MAX_PASSWORD_LENGTH } as const;
const email = { type: 'string', minLength: 3, maxLength: 254 } as const;

/** `POST /v1/login`. */
export const LOGIN_BODY = { type: 'object', additionalProperties: false, required: ['identifier', 'password'], properties: { identifier, password } } as const;

/** `POST /v1/users`. */
export const CREATE_USER_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['email'],
  properties: {
    email,
    password,
    profile: { type: 'object', description: 'Extra profile fields (username, name, user_metadata, app_metadata, …).' },
  },
} as const;

/** `POST /v1/users/{email}/password`. */
export const PASSWORD_BODY = { type: 'object', additionalProperties: false, required: ['password'], properties: { password } } as const;

/** Keycloak: `POST {base}/{usernameOrEmail}`. */
export const KEYCLOAK_PASSWORD_BODY = { type: 'object', required: ['password'], properties: { password } } as const;

/** Kratos password-migration hook (the default body template). */
export const KRATOS_BODY = { type: 'object', required: ['identifier', 'password'], properties: { identifier, password } } as const;

/** Okta password import inline hook request. */
export const OKTA_BODY = {
  type: 'object',
  required: ['eventType', 'data'],
  properties: {
    eventType: { type: 'string' },
    data: {
      type: 'object',
      required: ['context'],
      properties: {
        context: {
          type: 'object',
          required: ['credential'],
          properties: { credential: { type: 'object', required: ['username', 'password'], properties: { username: identifier, password } } },
        },
      },
    },
  },
} as const;

/** Path parameters. */
export const EMAIL_PARAMS = { type: 'object', required: ['email'], properties: { email } } as const;
export const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 512 } } } as const;
export const KEYCLOAK_PARAMS = { type: 'object', required: ['usernameOrEmail'], properties: { usernameOrEmail: identifier } } as const;
