/**
 * What route modules of `ferry serve` share: config, backend, metrics and the login
 * gate, and the error answers (the per-route authentication hook is in auth.ts).
 */
import type { FastifyReply } from 'fastify';
import type { Logger } from '../logging/logger';
import type { Authenticator } from './auth';
import { errorBody, errorReply } from './http-errors';
import type { LoginGate } from './login-gate';
import type { ServeBackend } from './serve-backend';
import type { ServeConfig } from './serve-config';
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
