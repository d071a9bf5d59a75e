/**
 * Every password check of `ferry serve` (the v1 login route and each adapter) goes
 * through here: client and identifier throttles first, so credential stuffing never
 * reaches legacy at full speed; then the backend; then timing padding of failures and
 * metrics.
 */
import type { EngineLoginResult } from '../engine/engine-types';
import { normaliseKey } from '../store/user-store';
import type { Principal } from './auth';
import type { FailureFloor } from './failure-floor';
import type { ServeBackend } from './serve-backend';
import type { ServeConfig } from './serve-config';
import type { ServeMetrics } from './serve-metrics';
import { Throttle } from './throttle';

/** A login attempt's answer, or a refusal by a throttle. */
export type GateResult = { throttled: false; result: EngineLoginResult } | { throttled: true; scope: 'identifier' | 'client'; retryAfterSec: number };

/** Throttled, measured, timing-padded logins. */
export class LoginGate {
  private readonly byIdentifier: Throttle;
  private readonly byClient: Throttle;

  constructor(
    config: ServeConfig,
    private readonly backend: ServeBackend,
    private readonly metrics: ServeMetrics,
    private readonly floor: FailureFloor,
  ) {
    this.byIdentifier = new Throttle(config.throttle.identifier);
    this.byClient = new Throttle(config.throttle.client);
  }

  /** Check a password for `principal`, labelling metrics with `route`. Transient failures are thrown. */
  async login(principal: Principal, identifier: string, password: string, route: string): Promise<GateResult> {
    const client = this.byClient.take(principal.client);
    if (!client.ok) return this.throttled('client', client.retryAfterSec, route);
    const key = normaliseKey(identifier);
    const ident = this.byIdentifier.take(key);
    if (!ident.ok) return this.throttled('identifier', ident.retryAfterSec, route);
    const started = performance.now();
    let result: EngineLoginResult;
    try {
      result = await this.backend.login(identifier, password);
    } catch (err) {
      this.metrics.logins.inc({ outcome: 'error', origin: 'none', route });
      throw err;
    }
    if (result.ok) {
      this.byIdentifier.give(key);
      this.metrics.logins.inc({ outcome: 'success', origin: result.source, route });
      if (result.migrated) this.metrics.migrations.inc({ via: 'login' });
    } else {
      this.metrics.logins.inc({ outcome: result.reason, origin: 'none', route });
      if (result.reason === 'invalid_credentials') await this.floor.pad(performance.now() - started);
    }
    return { throttled: false, result };
  }

  private throttled(scope: 'identifier' | 'client', retryAfterSec: number, route: string): GateResult {
    this.metrics.throttled.inc({ scope });
    this.metrics.logins.inc({ outcome: 'throttled', origin: 'none', route });
    return { throttled: true, scope, retryAfterSec };
  }
}
