/**
 * The Keycloak user-migration REST contract (daniel-frak/keycloak-user-migration):
 * `GET {base}/{usernameOrEmail}` answers the user or any non-200 for "not found";
 * `POST {base}/{usernameOrEmail}` with `{"password"}` answers 200 for a valid password,
 * anything else for invalid.
 */
import type { FastifyInstance } from 'fastify';
import type { UserProfile } from '../../contracts/profile';
import { isErrorClass } from '../../errors';
import { principalOf, requireAuth } from '../auth';
import { errorBody } from '../http-errors';
import { KEYCLOAK_PARAMS, KEYCLOAK_PASSWORD_BODY } from '../schemas';
import { sendError, sendThrottled, type ServeContext } from '../serve-context';

/** The plugin's LegacyUser JSON. */
export interface KeycloakLegacyUser {
  id: string;
  username: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  enabled: boolean;
  emailVerified: boolean;
  attributes: Record<string, string[]>;
  roles: string[];
  groups: string[];
  requiredActions: string[];
  totps: unknown[];
}

/** Map a Ferry profile to the plugin's user. `user_metadata` becomes attributes (values as string lists). */
export function toKeycloakUser(p: UserProfile): KeycloakLegacyUser {
  const attributes: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(p.user_metadata ?? {})) {
    if (v === null || v === undefined) continue;
    attributes[k] = Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : [typeof v === 'string' ? v : JSON.stringify(v)];
  }
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const roles = p.app_metadata?.roles;
  const user: KeycloakLegacyUser = {
    id: p.user_id,
    username: p.username ?? p.email ?? p.user_id,
    enabled: p.blocked !== true,
    emailVerified: p.email_verified === true,
    attributes,
    roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : [],
    groups: [],
    requiredActions: [],
    totps: [],
  };
  if (p.email !== undefined) user.email = p.email;
  const first = str(p.given_name);
  const last = str(p.family_name);
  if (first !== undefined) user.firstName = first;
  if (last !== undefined) user.lastName = last;
  return user;
}

/** Register `/v1/adapters/keycloak/users/{usernameOrEmail}`. */
export function registerKeycloakAdapter(app: FastifyInstance, ctx: ServeContext): void {
  const base = '/v1/adapters/keycloak/users/:usernameOrEmail';
  app.get<{ Params: { usernameOrEmail: string } }>(base, { schema: { params: KEYCLOAK_PARAMS }, onRequest: requireAuth(ctx, 'keycloak') }, async (request, reply) => {
    try {
      const found = await ctx.backend.lookup(request.params.usernameOrEmail);
      if (found === null) return reply.code(404).send(errorBody('user_not_found', 'No such user.'));
      if (found.migrated) ctx.metrics.migrations.inc({ via: 'get_user' });
      return reply.send(toKeycloakUser(found.profile));
    } catch (err) {
      // An email Ferry cannot parse is simply not a user here.
      if (isErrorClass(err, 'data') && err.code === 'email_invalid') return reply.code(404).send(errorBody('user_not_found', 'No such user.'));
      return sendError(reply, err);
    }
  });
  app.post<{ Params: { usernameOrEmail: string }; Body: { password: string } }>(
    base,
    { schema: { params: KEYCLOAK_PARAMS, body: KEYCLOAK_PASSWORD_BODY }, onRequest: requireAuth(ctx, 'keycloak') },
    async (request, reply) => {
      try {
        const r = await ctx.gate.login(principalOf(request), request.params.usernameOrEmail, request.body.password, 'keycloak');
        if (r.throttled) return sendThrottled(reply, r.retryAfterSec);
        // 200 with an empty body is "valid"; the plugin treats every other status as invalid.
        return r.result.ok ? reply.code(200).send({}) : reply.code(401).send(errorBody('invalid_credentials', 'Invalid password.'));
      } catch (err) {
        return sendError(reply, err);
      }
    },
  );
}
