/**
 * `/readyz` against a struggling legacy source: a hung lookup never makes the answer slow
 * (one probe at a time, a short limit of its own), the engine backend stays ready on its
 * store, and a proxy whose connector has no lookup is ready until a recent call failed.
 */
import type { Connector } from '../../src';
import type { LegacyHealth } from '../../src/server/legacy-instrument';
import { Readiness } from '../../src/server/readiness';
import { MemoryLegacy } from '../support/memory-legacy';
import { legacyUser, startLive, type LiveServe } from './serve-harness';

/** A MemoryLegacy whose lookups can be held until released, counting how many started. */
class HangingLegacy extends MemoryLegacy {
  lookups = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hang(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  override connector(id?: string): Connector {
    const c = super.connector(id);
    const lookup = c.getByEmail!;
    c.getByEmail = async (email) => {
      this.lookups++;
      await this.gate;
      return lookup(email);
    };
    return c;
  }
}

/** A MemoryLegacy whose connector can't look users up. */
class NoLookupLegacy extends MemoryLegacy {
  override connector(id?: string): Connector {
    const { getByEmail: _, ...c } = super.connector(id);
    return c;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const readyz = (live: LiveServe) => live.call('GET', '/readyz', undefined, null);
// The old /readyz waited for the legacy deadline (20 s here); the new one waits 0.5–1.5 s.
// The bound is generous so a loaded machine doesn't fail it, and still far below 20 s.
const FAST_MS = 5000;

describe('/readyz while legacy hangs (engine backend)', () => {
  const legacy = new HangingLegacy();
  let live: LiveServe;
  beforeAll(async () => {
    live = await startLive({ legacy, serve: { legacyTimeoutMs: 20000 } });
  });
  afterAll(async () => {
    legacy.release();
    await live.stop();
  });

  it('answers fast from the store, shares one probe, and reports legacy not ready', async () => {
    legacy.hang();
    const first = await Promise.all(Array.from({ length: 5 }, () => readyz(live)));
    for (const r of first) {
      expect(r.status).toBe(200);
      expect(r.body.ready).toBe(true);
      expect(r.body.store).toEqual({ ok: true });
      // Pending (no earlier result) or, on a slow machine, already past the probe limit.
      expect([{ ok: null, detail: 'probe pending' }, { ok: false, detail: 'legacy_timeout' }]).toContainEqual(r.body.legacy);
      expect(r.ms).toBeLessThan(FAST_MS);
    }
    expect(legacy.lookups).toBe(1);

    await sleep(1600); // past the 1.5 s probe limit
    const late = await readyz(live);
    expect(late.status).toBe(200);
    expect(late.body).toEqual({ ready: true, store: { ok: true }, legacy: { ok: false, detail: 'legacy_timeout' } });
    expect(late.ms).toBeLessThan(FAST_MS);
    // The hung lookup is not started again while it is still out.
    expect(legacy.lookups).toBe(1);
  });

  it('reports legacy up once the probe comes back, and caches that answer', async () => {
    legacy.release();
    await sleep(50);
    const r = await readyz(live);
    expect(r.body).toEqual({ ready: true, store: { ok: true }, legacy: { ok: true } });
    expect((await readyz(live)).body.legacy).toEqual({ ok: true });
    expect(legacy.lookups).toBe(1);
  });
});

describe('/readyz while legacy hangs (connector backend)', () => {
  it('answers 503 legacy_timeout within the probe limit, from one probe, then recovers', async () => {
    const legacy = new HangingLegacy();
    const live = await startLive({ legacy, serve: { backend: 'connector', legacyTimeoutMs: 20000 } });
    try {
      legacy.hang();
      const answers = await Promise.all(Array.from({ length: 3 }, () => readyz(live)));
      for (const r of answers) {
        expect(r.status).toBe(503);
        expect(r.body).toEqual({ ready: false, store: { ok: null, detail: 'not used (serve.backend: connector)' }, legacy: { ok: false, detail: 'legacy_timeout' } });
        expect(r.ms).toBeLessThan(FAST_MS);
      }
      expect(legacy.lookups).toBe(1);
      legacy.release();
      await sleep(50);
      const back = await readyz(live);
      expect(back.status).toBe(200);
      expect(back.body.legacy).toEqual({ ok: true });
    } finally {
      legacy.release();
      await live.stop();
    }
  });
});

describe('/readyz of a proxy whose connector has no lookup', () => {
  it('is ready before any call, unready after a failed call, ready again after a good one', async () => {
    const legacy = new NoLookupLegacy();
    legacy.add(legacyUser(1));
    const live = await startLive({ legacy, serve: { backend: 'connector' } });
    try {
      const before = await readyz(live);
      expect(before.status).toBe(200);
      expect(before.body).toEqual({ ready: true, store: { ok: null, detail: 'not used (serve.backend: connector)' }, legacy: { ok: null, detail: 'not called yet' } });

      legacy.down = true;
      expect((await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' })).status).toBe(503);
      const down = await readyz(live);
      expect(down.status).toBe(503);
      expect(down.body.legacy).toEqual({ ok: false, detail: 'legacy_unavailable' });

      legacy.down = false;
      expect((await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' })).status).toBe(200);
      const up = await readyz(live);
      expect(up.status).toBe(200);
      expect(up.body.legacy).toEqual({ ok: true });
    } finally {
      await live.stop();
    }
  });

  it('stops counting an error against readiness once it is older than the window', async () => {
    const health: LegacyHealth = { lastOkAt: Date.now() - 60_000, lastErrorAt: Date.now() - 1000, lastErrorCode: 'legacy_unavailable' };
    const readiness = new Readiness(undefined, { id: 'no-lookup' }, health, { errorWindowMs: 30_000 });
    expect(await readiness.report()).toMatchObject({ ready: false, legacy: { ok: false, detail: 'legacy_unavailable' } });
    health.lastErrorAt = Date.now() - 30_001;
    expect(await readiness.report()).toMatchObject({ ready: true, legacy: { ok: null, detail: 'legacy_unavailable over 30 s ago' } });
  });
});

describe('Readiness probe limit', () => {
  afterEach(() => jest.useRealTimers());

  it('never waits past the legacy deadline when that is shorter than the probe limit', async () => {
    jest.useFakeTimers();
    let lookups = 0;
    const hung: Connector = { id: 'hung', getByEmail: () => (lookups++, new Promise(() => undefined)) };
    const readiness = new Readiness(undefined, hung, {}, { legacyTimeoutMs: 200 });
    let report: unknown;
    void readiness.report().then((r) => (report = r));
    await jest.advanceTimersByTimeAsync(199);
    expect(report).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(report).toMatchObject({ ready: false, legacy: { ok: false, detail: 'legacy_timeout' } });
    // Later callers don't wait again, nor start a second lookup while the first is out.
    let again: unknown;
    void readiness.report().then((r) => (again = r));
    await jest.advanceTimersByTimeAsync(0);
    expect(again).toMatchObject({ ready: false, legacy: { ok: false, detail: 'legacy_timeout' } });
    expect(lookups).toBe(1);
  });
});
