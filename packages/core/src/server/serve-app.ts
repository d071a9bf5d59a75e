/**
 * Builds the fastify application of `ferry serve`: limits, error mapping, the `/v1`
 * routes, the adapters that are switched on, and the operations endpoints
 * (`/healthz`, `/readyz`, `/metrics`, `/openapi.json`).
 */
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import { TransientError } from '../errors';
import { fastifyModule } from '../lazy-deps';
import { registerKeycloakAdapter } from './adapters/keycloak';
import { registerKratosAdapter } from './adapters/kratos';
import { registerOktaAdapter } from './adapters/okta';
import { errorBody } from './http-errors';
import { openApiDocument } from './openapi';
import type { Readiness } from './readiness';
import { registerV1Routes } from './routes-v1';
import { sendError, type ServeContext } from './serve-context';

/** Create (but don't start) the server for `ctx`. */
export function buildServeApp(ctx: ServeContext, readiness: Readiness, version: string): FastifyInstance {
  const { config, metrics } = ctx;
  const { default: Fastify, LogController } = fastifyModule();
  const app = Fastify({
    loggerInstance: ctx.logger.child({ component: 'serve' }) as FastifyBaseLogger,
    // Request logs would carry emails in URLs; metrics and our own logs cover requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    // Fastify's own 503 while closing has no `code`: the onRequest hook below answers instead.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // Refuse unknown body fields instead of silently dropping them.
    ajv: { customOptions: { removeAdditional: false } },
  });

  // Requests that arrive while closing (on kept-alive sockets) get Ferry's 503; in-flight
  // ones are past this hook and finish. Fastify still answers them with `Connection: close`.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    // Returning the reply tells fastify the request is answered.
    if (closing) return sendError(reply, new TransientError('shutting_down', 'The server is shutting down.', { hint: 'Retry: another instance will answer.', retryAfterMs: 1000 }));
  });

  app.addHook('onResponse', async (request, reply) => {
    metrics.requests.observe({ route: request.routeOptions.url ?? 'unmatched', method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) return reply.code(400).send(errorBody('request_invalid', `Invalid request: ${error.message}.`));
    if (error.statusCode === 413) return reply.code(413).send(errorBody('body_too_large', `The request body is larger than ${config.bodyLimit} bytes.`));
    if (error.statusCode === 415) return reply.code(415).send(errorBody('unsupported_media_type', 'Send application/json.'));
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorBody('request_invalid', 'The request could not be read.'));
    }
    request.log.error({ code: (error as { code?: string }).code, msg: error.message }, 'request failed');
    return sendError(reply, error);
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('not_found', 'No such route.')));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness.report();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  if (config.metrics) {
    app.get('/metrics', async (_request, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  }
  const doc = openApiDocument(config, version);
  app.get('/openapi.json', async () => doc);

  registerV1Routes(app, ctx);
  if (config.adapters.keycloak) registerKeycloakAdapter(app, ctx);
  if (config.adapters.kratos) registerKratosAdapter(app, ctx);
  if (config.adapters.okta) registerOktaAdapter(app, ctx);
  return app;
}
