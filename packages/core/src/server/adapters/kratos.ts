/**
 * The Ory Kratos password-migration hook: Kratos POSTs `{identifier, password}` for
 * identities imported with `use_password_migration_hook: true`; 200
 * `{"status":"password_match"}` accepts (Kratos then stores its own hash), 403 refuses,
 * anything else is an upstream error (so a legacy outage is never a wrong password).
 */
import type { FastifyInstance } from 'fastify';
import { principalOf, requireAuth } from '../auth';
import { errorBody } from '../http-errors';
import { KRATOS_BODY } from '../schemas';
import { sendError, sendThrottled, type ServeContext } from '../serve-context';

/** Register `POST /v1/adapters/kratos/password-migration`. */
export function registerKratosAdapter(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: { identifier: string; password: string } }>(
    '/v1/adapters/kratos/password-migration',
    { schema: { body: KRATOS_BODY }, onRequest: requireAuth(ctx, 'kratos') },
    async (request, reply) => {
      try {
        const r = await ctx.gate.login(principalOf(request), request.body.identifier, request.body.password, 'kratos');
        if (r.throttled) return sendThrottled(reply, r.retryAfterSec);
        return r.result.ok ? reply.send({ status: 'password_match' }) : reply.code(403).send(errorBody('invalid_credentials', 'Wrong identifier or password.'));
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );
}
