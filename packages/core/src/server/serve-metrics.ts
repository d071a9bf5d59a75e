/**
 * Prometheus metrics of `ferry serve`, in a registry of their own (several servers can
 * live in one process, as in tests).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Slots } from './hash-slots';

/** The metrics one server records. */
export class ServeMetrics {
  readonly registry = new Registry();
  /** Logins by outcome (`success`, `invalid_credentials`, `locked`, …, `throttled`, `error`) and origin (`store`, `legacy`, `none`). */
  readonly logins = new Counter({
    name: 'ferry_logins_total',
    help: 'Logins answered, by outcome and where they were decided.',
    labelNames: ['outcome', 'origin', 'route'] as const,
    registers: [this.registry],
  });
  /** Users moved into the store, by what moved them. */
  readonly migrations = new Counter({
    name: 'ferry_migrations_total',
    help: 'Users migrated into the store, by trigger (login, get_user).',
    labelNames: ['via'] as const,
    registers: [this.registry],
  });
  /** Calls to the legacy source. */
  readonly legacyDuration = new Histogram({
    name: 'ferry_legacy_call_duration_seconds',
    help: 'Latency of calls to the legacy source, by call and result.',
    labelNames: ['call', 'result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  /** Failed legacy calls by error code (`legacy_unavailable`, `legacy_timeout`, …). */
  readonly legacyErrors = new Counter({
    name: 'ferry_legacy_errors_total',
    help: 'Failed calls to the legacy source, by call and error code.',
    labelNames: ['call', 'code'] as const,
    registers: [this.registry],
  });
  /** Requests refused by throttling, by scope (`identifier`, `client`). */
  readonly throttled = new Counter({
    name: 'ferry_throttled_total',
    help: 'Login attempts refused with 429 before reaching legacy, by throttle scope.',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });
  /** Requests refused by authentication, by code. */
  readonly authFailures = new Counter({
    name: 'ferry_auth_failures_total',
    help: 'Requests refused by token or API-key checks, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  /** Request latency by route and status. */
  readonly requests = new Histogram({
    name: 'ferry_http_request_duration_seconds',
    help: 'HTTP request latency by route and status code.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /**
   * @param options.processMetrics collect Node process metrics (default true).
   * @param options.hashSlots the server's hash queue, reported as `ferry_password_hashes{state}`:
   *   a queue that is rarely empty means logins wait for a core.
   */
  constructor(options: { processMetrics?: boolean; hashSlots?: Slots } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    const slots = options.hashSlots;
    if (slots !== undefined) {
      new Gauge({
        name: 'ferry_password_hashes',
        help: 'Password hashes (verify or hash) running and waiting for a free slot of the hash queue.',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          this.set({ state: 'running' }, slots.active);
          this.set({ state: 'waiting' }, slots.queued);
        },
      });
    }
  }
}
