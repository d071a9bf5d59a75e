/**
 * The Okta password import inline hook: Okta POSTs
 * `com.okta.user.credential.password.import` with the credential it could not check;
 * the answer's `com.okta.action.update` command says VERIFIED (Okta keeps the password)
 * or UNVERIFIED.
 */
import type { FastifyInstance } from 'fastify';
import { principalOf, requireAuth } from '../auth';
import { errorBody } from '../http-errors';
import { OKTA_BODY } from '../schemas';
import { sendError, sendThrottled, type ServeContext } from '../serve-context';

/** The event type Okta sends. */
export const OKTA_PASSWORD_IMPORT_EVENT = 'com.okta.user.credential.password.import';

/** The inline-hook answer for a verdict. */
export function oktaVerdict(verified: boolean): { commands: { type: 'com.okta.action.update'; value: { credential: 'VERIFIED' | 'UNVERIFIED' } }[] } {
  return { commands: [{ type: 'com.okta.action.update', value: { credential: verified ? 'VERIFIED' : 'UNVERIFIED' } }] };
}

interface OktaHookBody {
  eventType: string;
  data: { context: { credential: { username: string; password: string } } };
}

/** Register `POST /v1/adapters/okta/password-import`. */
export function registerOktaAdapter(app: FastifyInstance, ctx: ServeContext): void {
  app.post<{ Body: OktaHookBody }>('/v1/adapters/okta/password-import', { schema: { body: OKTA_BODY }, onRequest: requireAuth(ctx, 'okta') }, async (request, reply) => {
    if (request.body.eventType !== OKTA_PASSWORD_IMPORT_EVENT) {
      return reply.code(400).send(errorBody('event_type_unsupported', `Only ${OKTA_PASSWORD_IMPORT_EVENT} is handled here.`));
    }
    const { username, password } = request.body.data.context.credential;
    try {
      const r = await ctx.gate.login(principalOf(request), username, password, 'okta');
      if (r.throttled) return sendThrottled(reply, r.retryAfterSec);
      return reply.send(oktaVerdict(r.result.ok));
    } catch (err) {
      return sendError(reply, err);
    }
  });
}
