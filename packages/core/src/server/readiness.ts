/**
 * `/readyz`: the store and legacy are checked and reported separately, so a legacy
 * outage does not take migrated users' logins down with it (the engine backend stays
 * ready while its store answers). A struggling legacy source never makes `/readyz` slow:
 * one probe at a time, with a short limit of its own, and the answer doesn't wait past it.
 */
import type { Connector } from '../contracts/connector';
import type { UserStore } from '../store/user-store';
import type { LegacyHealth } from './legacy-instrument';

/** One dependency's state: `ok: null` is "unknown" (not used, not called yet, no recent answer). */
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

/** Limits of {@link Readiness}, in milliseconds. */
export interface ReadinessOptions {
  /** The legacy deadline (`serve.legacyTimeoutMs`): the probe limit never exceeds it. */
  legacyTimeoutMs?: number;
  /** A legacy probe not back within this counts as `legacy_timeout` (default 1500, at most `legacyTimeoutMs`). */
  probeTimeoutMs?: number;
  /**
   * With the engine backend, legacy doesn't decide readiness: the answer waits at most this
   * long for a probe and otherwise reports the last known state (default 500, well under
   * Kubernetes' default 1 s probe timeout).
   */
  legacyWaitMs?: number;
  /** A probe's result is reused for this long (default 5000). */
  cacheMs?: number;
  /** Without a lookup to probe, a legacy error stops counting against readiness after this long (default 30000). */
  errorWindowMs?: number;
}

/** The probe address: `.invalid` can never be a real user's domain. */
const PROBE_EMAIL = 'ferry-readyz-probe@ferry.invalid';

const TIMED_OUT: DependencyState = { ok: false, detail: 'legacy_timeout' };

/** How long the store's round trip may take. */
const STORE_LIMIT_MS = 2000;

/** Checks the store and legacy; one legacy probe runs at a time and its result is cached. */
export class Readiness {
  private readonly probeTimeoutMs: number;
  private readonly legacyWaitMs: number;
  private readonly cacheMs: number;
  private readonly errorWindowMs: number;
  private last: { at: number; state: DependencyState } | undefined;
  private probe: { startedAt: number; done: Promise<DependencyState> } | undefined;

  constructor(
    private readonly store: UserStore | undefined,
    private readonly connector: Connector,
    private readonly health: LegacyHealth,
    options: ReadinessOptions = {},
  ) {
    this.probeTimeoutMs = Math.min(options.probeTimeoutMs ?? 1500, options.legacyTimeoutMs ?? Infinity);
    this.legacyWaitMs = options.legacyWaitMs ?? 500;
    this.cacheMs = options.cacheMs ?? 5000;
    this.errorWindowMs = options.errorWindowMs ?? 30000;
  }

  /** Run the checks. Ready means: the store answers (engine backend), or legacy isn't known to be failing (connector backend). */
  async report(): Promise<ReadyReport> {
    const proxy = this.store === undefined;
    const [store, legacy] = await Promise.all([this.checkStore(), this.checkLegacy(proxy ? this.probeTimeoutMs : this.legacyWaitMs)]);
    const ready = proxy ? legacy.ok !== false : store.ok === true;
    return { ready, store, legacy };
  }

  private async checkStore(): Promise<DependencyState> {
    if (this.store === undefined) return { ok: null, detail: 'not used (serve.backend: connector)' };
    const answer = this.store.getSetting('ferry.readyz').then(
      (): DependencyState => ({ ok: true }),
      (err: unknown): DependencyState => ({ ok: false, detail: (err as Error).message }),
    );
    return (await within(answer, STORE_LIMIT_MS)) ?? { ok: false, detail: `no answer within ${STORE_LIMIT_MS} ms` };
  }

  /** The legacy state, waiting at most `waitMs` (and never past the probe's limit) for a probe. */
  private async checkLegacy(waitMs: number): Promise<DependencyState> {
    const getByEmail = this.connector.getByEmail?.bind(this.connector);
    if (getByEmail === undefined) return this.fromHealth();
    if (this.last && Date.now() - this.last.at < this.cacheMs) return this.last.state;
    // Concurrent callers share the probe in flight; a hung one is not started again until it ends.
    const probe = (this.probe ??= this.startProbe(getByEmail));
    const untilLimit = Math.max(0, probe.startedAt + this.probeTimeoutMs - performance.now());
    const wait = Math.min(waitMs, untilLimit);
    const state = await within(probe.done, wait);
    if (state !== undefined) return state;
    if (wait === untilLimit) return TIMED_OUT;
    return this.last?.state ?? { ok: null, detail: 'probe pending' };
  }

  private startProbe(getByEmail: (email: string) => Promise<unknown>): { startedAt: number; done: Promise<DependencyState> } {
    const done = (async (): Promise<DependencyState> => {
      try {
        await getByEmail(PROBE_EMAIL);
        return { ok: true };
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        return { ok: false, detail: typeof code === 'string' ? code : 'legacy_unavailable' };
      }
    })().then((state) => {
      this.last = { at: Date.now(), state };
      this.probe = undefined;
      return state;
    });
    return { startedAt: performance.now(), done };
  }

  /** No lookup to probe with: report what the last real call saw, forgetting errors older than the window. */
  private fromHealth(): DependencyState {
    const { lastOkAt, lastErrorAt, lastErrorCode } = this.health;
    if (lastErrorAt === undefined || (lastOkAt ?? 0) >= lastErrorAt) return lastOkAt === undefined ? { ok: null, detail: 'not called yet' } : { ok: true };
    const code = lastErrorCode ?? 'legacy_unavailable';
    // Without traffic no call would ever clear an old error: a gated proxy would stay unready.
    if (Date.now() - lastErrorAt >= this.errorWindowMs) return { ok: null, detail: `${code} over ${Math.round(this.errorWindowMs / 1000)} s ago` };
    return { ok: false, detail: code };
  }
}

/** `p`'s value, or undefined when it isn't there within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
