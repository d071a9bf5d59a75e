/**
 * `/readyz`: the store and legacy are checked and reported separately, so a legacy
 * outage does not take migrated users' logins down with it (the engine backend stays
 * ready while its store answers).
 */
import type { Connector } from '../contracts/connector';
import type { UserStore } from '../store/user-store';
import type { LegacyHealth } from './legacy-instrument';

/** One dependency's state. */
export interface DependencyState {
  ok: boolean | null;
  detail?: string;
}

/** The `/readyz` body. */
export interface ReadyReport {
  ready: boolean;
  store: DependencyState;
  legacy: DependencyState;
}

/** The probe address: `.invalid` can never be a real user's domain. */
const PROBE_EMAIL = 'ferry-readyz-probe@ferry.invalid';

/** Checks the store and legacy, caching the legacy probe for `cacheMs`. */
export class Readiness {
  private cached: { at: number; state: DependencyState } | undefined;

  constructor(
    private readonly store: UserStore | undefined,
    private readonly connector: Connector,
    private readonly health: LegacyHealth,
    private readonly cacheMs = 5000,
  ) {}

  /** Run the checks. Ready means: the store answers (engine backend), or legacy answers (connector backend). */
  async report(): Promise<ReadyReport> {
    const [store, legacy] = await Promise.all([this.checkStore(), this.checkLegacy()]);
    const ready = this.store === undefined ? legacy.ok === true : store.ok === true;
    return { ready, store, legacy };
  }

  private async checkStore(): Promise<DependencyState> {
    if (this.store === undefined) return { ok: null, detail: 'not used (serve.backend: connector)' };
    try {
      await withTimeout(this.store.getSetting('ferry.readyz'), 2000);
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  private async checkLegacy(): Promise<DependencyState> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < this.cacheMs) return this.cached.state;
    let state: DependencyState;
    if (this.connector.getByEmail) {
      try {
        await this.connector.getByEmail(PROBE_EMAIL);
        state = { ok: true };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        state = { ok: false, detail: typeof code === 'string' ? code : 'legacy_unavailable' };
      }
    } else {
      // No lookup to probe with: report what the last real call saw.
      const { lastOkAt, lastErrorAt, lastErrorCode } = this.health;
      if (lastOkAt === undefined && lastErrorAt === undefined) state = { ok: null, detail: 'not called yet' };
      else if ((lastErrorAt ?? 0) > (lastOkAt ?? 0)) state = { ok: false, detail: lastErrorCode ?? 'legacy_unavailable' };
      else state = { ok: true };
    }
    this.cached = { at: now, state };
    return state;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
