/**
 * Starts `ferry serve` on a runtime: instruments the connector, builds the backend
 * (its own engine over the instrumented connector), calibrates the failure-timing
 * floor, and listens. `close()` is the graceful shutdown: stop accepting, finish
 * in-flight requests, drain background migrations.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { PasswordHashing } from '../contracts/password-hashing';
import { EngineOptions } from '../engine/engine-types';
import { MigrationEngine } from '../engine/migration-engine';
import { ConfigError } from '../errors';
import type { FerryRuntime } from '../runtime/ferry-runtime';
import { Authenticator } from './auth';
import { FailureFloor } from './failure-floor';
import { defaultHashConcurrency, limitHashing, Slots } from './hash-slots';
import { instrumentConnector, type LegacyHealth } from './legacy-instrument';
import { LoginGate } from './login-gate';
import { Readiness } from './readiness';
import { buildServeApp } from './serve-app';
import { connectorBackend, engineBackend, type ServeBackend } from './serve-backend';
import { resolveServeConfig, type ServeConfig } from './serve-config';
import { ServeMetrics } from './serve-metrics';

/** Options for {@link startServe}. */
export interface StartServeOptions {
  runtime: FerryRuntime;
  /** Resolved settings (default: `resolveServeConfig(runtime.config.serve)`). */
  serve?: ServeConfig;
  /** Don't listen (tests use `app.inject`). */
  listen?: boolean;
  /** Version reported in `/openapi.json`. */
  version?: string;
  /** Collect Node process metrics (default true). */
  processMetrics?: boolean;
}

/** A running server. */
export interface ServeHandle {
  app: FastifyInstance;
  /** `http://host:port` once listening. */
  url: string;
  config: ServeConfig;
  backend: ServeBackend;
  metrics: ServeMetrics;
  floor: FailureFloor;
  /** The queue every password hash of this server goes through. */
  hashSlots: Slots;
  /** Graceful shutdown; the caller closes the runtime afterwards. */
  close(): Promise<void>;
}

/** Build and (by default) start the server. */
export async function startServe(options: StartServeOptions): Promise<ServeHandle> {
  const { runtime } = options;
  const config = options.serve ?? resolveServeConfig(runtime.config.serve);
  const connector = runtime.connector;
  if (connector === undefined) throw new ConfigError('serve_without_connector', 'ferry serve needs the connector.', { hint: 'Check connector: in ferry.yaml.' });
  const hashSlots = new Slots(config.hashConcurrency ?? defaultHashConcurrency());
  const metrics = new ServeMetrics({ processMetrics: options.processMetrics ?? true, hashSlots });
  const health: LegacyHealth = {};
  const legacy = instrumentConnector(connector, metrics, config.legacyTimeoutMs, health);
  const hashing = limitHashing(runtime.container.get(PasswordHashing), hashSlots);
  let backend: ServeBackend;
  if (config.backend === 'engine') {
    // Our own engine over the instrumented connector, so legacy latency, errors and deadlines are seen.
    const engine = new MigrationEngine(runtime.store, legacy, hashing, runtime.logger, runtime.container.get(EngineOptions));
    backend = engineBackend(engine, runtime.store);
  } else {
    backend = connectorBackend(legacy);
  }
  const floor = new FailureFloor(config.maxFailureFloorMs);
  floor.setVerifyMs(await measureVerifyMs(hashing));
  const ctx = { config, backend, metrics, gate: new LoginGate(config, backend, metrics, floor), auth: new Authenticator(config.auth), logger: runtime.logger };
  const readiness = new Readiness(config.backend === 'engine' ? runtime.store : undefined, legacy, health, { legacyTimeoutMs: config.legacyTimeoutMs });
  const app = buildServeApp(ctx, readiness, options.version ?? '0.0.0');
  let url = '';
  if (options.listen ?? true) url = await app.listen({ host: config.host, port: config.port });
  else await app.ready();
  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    config,
    backend,
    metrics,
    floor,
    hashSlots,
    close: () =>
      (closing ??= (async () => {
        // Keep-alive sockets that finish their in-flight request after close() began are
        // not closed by Node on their own: sweep idle ones, and force all after the request timeout.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        const force = setTimeout(() => app.server.closeAllConnections(), config.requestTimeoutMs + 1000);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(force);
        }
        await backend.drain();
      })()),
  };
}

/** The median time of three verifies of a current-scheme hash: the cost a wrong password pays. */
async function measureVerifyMs(hashing: PasswordHashing): Promise<number> {
  const hash = await hashing.hash(randomBytes(18).toString('base64'));
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await hashing.verify(hash, 'not-the-password');
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1] ?? 0;
}
