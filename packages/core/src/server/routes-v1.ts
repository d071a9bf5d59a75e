/**
 * The `/v1` API: login, user lookup, sign-up, password change, email verification and
 * delete, each running the backend (the engine, or the connector alone).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EngineLoginResult } from '../engine/engine-types';
import type { UserProfile } from '../contracts/profile';
import { principalOf, requireAuth } from './auth';
import { errorBody } from './http-errors';
import { CREATE_USER_BODY, EMAIL_PARAMS, ID_PARAMS, LOGIN_BODY, PASSWORD_BODY } from './schemas';
import { sendError, sendThrottled, type ServeContext } from './serve-context';

/** The one body for unknown user and wrong password alike. */
export const INVALID_CREDENTIALS_BODY = errorBody('invalid_credentials', 'Wrong email, username or password.');

/** Send a login result: 200 with the user, 401 for wrong credentials, 403 for a refused account. */
export function sendLoginResult(reply: FastifyReply, result: EngineLoginResult): FastifyReply {
  if (result.ok) {
    return reply.send({ user: result.profile, source: result.source, migrated: result.migrated, ...(result.flags === undefined ? {} : { flags: result.flags }) });
  }
  if (result.reason === 'invalid_credentials') return reply.code(401).send(INVALID_CREDENTIALS_BODY);
  return reply.code(403).send(errorBody(`user_${result.reason}`, `The account is ${result.reason}.`));
}

/** Register the `/v1` routes. */
export function registerV1Routes(app: FastifyInstance, ctx: ServeContext): void {
  const { backend } = ctx;

  app.post<{ Body: { identifier: string; password: string } }>(
    '/v1/login',
    { schema: { body: LOGIN_BODY }, onRequest: requireAuth(ctx, 'login') },
    async (request, reply) => {
      try {
        const r = await ctx.gate.login(principalOf(request), request.body.identifier, request.body.password, 'v1');
        return r.throttled ? sendThrottled(reply, r.retryAfterSec) : sendLoginResult(reply, r.result);
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );

  app.get<{ Params: { email: string } }>('/v1/users/:email', { schema: { params: EMAIL_PARAMS }, onRequest: requireAuth(ctx, 'get_user') }, async (request, reply) => {
    try {
      const found = await backend.getUser(request.params.email);
      if (found === null) return reply.code(404).send(errorBody('user_not_found', 'No user has this email.'));
      if (found.migrated) ctx.metrics.migrations.inc({ via: 'get_user' });
      return reply.send({ user: found.profile, source: found.source });
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.post<{ Body: { email: string; password?: string; profile?: Omit<UserProfile, 'user_id' | 'email'> }; Querystring: { dry_run?: boolean } }>(
    '/v1/users',
    {
      schema: { body: CREATE_USER_BODY, querystring: { type: 'object', properties: { dry_run: { type: 'boolean', default: false } } } },
      onRequest: requireAuth(ctx, 'create_user'),
    },
    async (request, reply) => {
      const { email, password, profile } = request.body;
      try {
        if (request.query.dry_run === true) {
          // The sign-up check: is this email free in the store and in legacy?
          const found = await backend.getUser(email);
          return found === null ? reply.send({ available: true }) : reply.code(409).send(errorBody('user_exists', `A user with email '${email}' already exists.`));
        }
        if (password === undefined) return reply.code(400).send(errorBody('password_invalid', 'A password is required to create a user (or pass ?dry_run=true).'));
        const user = await backend.signup(email, password, profile ?? {});
        return reply.code(201).send({ user });
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );

  app.post<{ Params: { email: string }; Body: { password: string } }>(
    '/v1/users/:email/password',
    { schema: { params: EMAIL_PARAMS, body: PASSWORD_BODY }, onRequest: requireAuth(ctx, 'change_password') },
    async (request, reply) => {
      try {
        const changed = await backend.changePassword(request.params.email, request.body.password);
        return changed ? reply.send({ changed: true }) : reply.code(404).send(errorBody('user_not_found', 'No user has this email.'));
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );

  app.post<{ Params: { email: string } }>('/v1/users/:email/verify', { schema: { params: EMAIL_PARAMS }, onRequest: requireAuth(ctx, 'verify_email') }, async (request, reply) => {
    try {
      const verified = await backend.verifyEmail(request.params.email);
      return verified ? reply.send({ verified: true }) : reply.code(404).send(errorBody('user_not_found', 'No user has this email.'));
    } catch (err) {
      return sendError(reply, err);
    }
  });

  app.delete<{ Params: { id: string } }>('/v1/users/:id', { schema: { params: ID_PARAMS }, onRequest: requireAuth(ctx, 'delete_user') }, async (request, reply) => {
    try {
      const deleted = await backend.deleteUser(request.params.id);
      return deleted ? reply.code(204).send() : reply.code(404).send(errorBody('user_not_found', 'No user has this id.'));
    } catch (err) {
      return sendError(reply, err);
    }
  });
}
