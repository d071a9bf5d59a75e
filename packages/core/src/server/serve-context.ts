/**
 * What route modules of `ferry serve` share: config, backend, metrics and the login
 * gate, plus the per-route authentication hook.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../logging/logger';
import type { Authenticator, Principal } from './auth';
import { errorBody, errorReply } from './http-errors';
import type { LoginGate } from './login-gate';
import type { ServeBackend } from './serve-backend';
import type { ServeConfig, ServeRouteId } from './serve-config';
import type { ServeMetrics } from './serve-metrics';

/** Shared state of one server. */
export interface ServeContext {
  config: ServeConfig;
  backend: ServeBackend;
  metrics: ServeMetrics;
  gate: LoginGate;
  auth: Authenticator;
  logger: Logger;
}

const principals = new WeakMap<FastifyRequest, Principal>();

/** A preHandler that authenticates the caller for `route`, or answers 401/403. */
export function requireAuth(ctx: ServeContext, route: ServeRouteId) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const result = await ctx.auth.authenticate(request.headers.authorization, route);
    if (result.ok) {
      principals.set(request, result.principal);
      return;
    }
    ctx.metrics.authFailures.inc({ code: result.code });
    if (result.status === 401) reply.header('www-authenticate', `Bearer error="${result.code === 'unauthenticated' ? 'invalid_request' : 'invalid_token'}"`);
    if (result.status === 403) reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
    await reply.code(result.status).send(errorBody(result.code, result.message));
  };
}

/** The caller `requireAuth` accepted. */
export function principalOf(request: FastifyRequest): Principal {
  const p = principals.get(request);
  if (p === undefined) throw new Error('route without requireAuth');
  return p;
}

/** Answer `err` as Ferry's error mapping says. */
export function sendError(reply: FastifyReply, err: unknown): FastifyReply {
  const r = errorReply(err);
  if (r.retryAfterSec !== undefined) reply.header('retry-after', String(r.retryAfterSec));
  return reply.code(r.status).send(r.body);
}

/** 429 with Retry-After. */
export function sendThrottled(reply: FastifyReply, retryAfterSec: number): FastifyReply {
  reply.header('retry-after', String(retryAfterSec));
  return reply.code(429).send(errorBody('too_many_attempts', 'Too many login attempts; retry later.', `Retry after ${retryAfterSec} s.`));
}
