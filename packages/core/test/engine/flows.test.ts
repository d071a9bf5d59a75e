import { ConfigError, DataError, type Connector } from '../../src';
import { MemoryLegacy } from '../support/memory-legacy';
import { makeHarness, type Harness } from '../support/engine-harness';

const carol = { profile: { user_id: 'c-1', email: 'carol@example.com', given_name: 'Carol' }, password: 'carol-pw-1' };

describe('engine getUser, signup, changePassword', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
    h.legacy.add(structuredClone(carol));
  });
  afterEach(() => h.cleanup());

  it('getUser creates an unmigrated user without credential in import mode', async () => {
    const r = await h.runtime.engine().getUser('CAROL@example.com');
    expect(r?.profile.user_id).toBe('c-1');
    const stored = await h.runtime.store.findById('default', 'c-1');
    expect(stored?.origin).toBe('get_user');
    expect(await h.runtime.store.getCredential('default', 'c-1')).toBeNull();
    expect((await h.runtime.engine().getUser('carol@example.com'))?.source).toBe('store');
    expect(h.legacy.calls.getByEmail).toBe(1);
  });

  it('getUser returns null for an unknown email', async () => {
    expect(await h.runtime.engine().getUser('nobody@example.com')).toBeNull();
  });

  it('surfaces two legacy users with one email as a clear data error', async () => {
    h.legacy.add({ profile: { user_id: 'c-2', email: 'carol@example.com' }, password: 'x' });
    await expect(h.runtime.engine().getUser('carol@example.com')).rejects.toMatchObject({ code: 'ambiguous_email', errorClass: 'data' });
    expect((await h.runtime.store.stats('default')).total).toBe(0);
  });

  it('refuses sign-up when the email exists in legacy or in the store, else creates a native user', async () => {
    const engine = h.runtime.engine();
    await expect(engine.signup('carol@example.com', 'new-pw')).rejects.toMatchObject({ code: 'user_exists' });
    const user = await engine.signup('dave@example.com', 'dave-pw', { name: 'Dave' });
    expect((await h.runtime.store.findById('default', user.user_id))?.origin).toBe('native');
    await expect(engine.signup('DAVE@example.com', 'again')).rejects.toBeInstanceOf(DataError);
    expect(await engine.login('dave@example.com', 'dave-pw')).toEqual(expect.objectContaining({ ok: true, source: 'store' }));
  });

  it('changePassword migrates an unmigrated user through getUser, then the new password works without legacy', async () => {
    const engine = h.runtime.engine();
    expect(await engine.changePassword('carol@example.com', 'brand-new-pw')).toBe(true);
    expect(await engine.login('carol@example.com', 'brand-new-pw')).toEqual(expect.objectContaining({ ok: true, source: 'store' }));
    expect(await engine.login('carol@example.com', carol.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(h.legacy.calls.login).toBe(0);
    expect(await engine.changePassword('nobody@example.com', 'x-pw')).toBe(false);
  });

  it('runs markMigrated after a migration without delaying the login, retrying and recording failures', async () => {
    h.legacy.markMigratedDelayMs = 300;
    h.legacy.markMigratedFailures = 1;
    const engine = h.runtime.engine();
    const started = Date.now();
    expect((await engine.login('carol@example.com', carol.password)).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(300);
    await engine.drain();
    expect(h.legacy.calls.markMigrated).toBe(2);
    expect(h.legacy.marked).toEqual(['c-1']);
    const [entry] = await h.runtime.store.readLog('default', { event: 'mark_migrated_ok' });
    expect(entry?.detail).toEqual({ attempts: 2 });
  }, 20000);

  it('records a markMigrated that never succeeds, and the login still succeeded', async () => {
    h.legacy.markMigratedFailures = 10;
    const engine = h.runtime.engine();
    expect((await engine.login('carol@example.com', carol.password)).ok).toBe(true);
    await engine.drain();
    expect(await h.runtime.store.readLog('default', { event: 'mark_migrated_failed' })).toHaveLength(1);
  }, 20000);
});

describe('engine modes', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('proxy: checks legacy every time and stores nothing', async () => {
    h = await makeHarness({ mode: 'proxy' });
    h.legacy.add(structuredClone(carol));
    const engine = h.runtime.engine();
    expect(await engine.login('carol@example.com', carol.password)).toEqual(expect.objectContaining({ ok: true, source: 'legacy', migrated: false }));
    expect(await engine.login('carol@example.com', carol.password)).toEqual(expect.objectContaining({ ok: true }));
    expect(await engine.getUser('carol@example.com')).toEqual(expect.objectContaining({ source: 'legacy', migrated: false }));
    expect(h.legacy.calls.login).toBe(2);
    expect((await h.runtime.store.stats('default')).total).toBe(0);
    await expect(engine.changePassword('carol@example.com', 'x-pw')).rejects.toBeInstanceOf(ConfigError);
  });

  it('disconnected: never calls legacy; migrated users still log in', async () => {
    h = await makeHarness();
    h.legacy.add(structuredClone(carol));
    h.legacy.add({ profile: { user_id: 'e-1', email: 'erin@example.com' }, password: 'erin-pw' });
    const engine = h.runtime.engine();
    await engine.login('carol@example.com', carol.password);
    await engine.setMode('disconnected');
    const calls = { ...h.legacy.calls };
    expect(await engine.login('carol@example.com', carol.password)).toEqual(expect.objectContaining({ ok: true }));
    expect(await engine.login('erin@example.com', 'erin-pw')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await engine.getUser('erin@example.com')).toBeNull();
    expect(h.legacy.calls).toEqual(calls);
    expect(await h.runtime.store.readLog('default', { event: 'mode_changed' })).toHaveLength(1);
  });

  it('import mode with a connector that cannot log in: unknown users are refused as unknown, and the operator is told once', async () => {
    class ExportOnlyLegacy extends MemoryLegacy {
      override connector(id = 'export-only'): Connector {
        const { login: _login, ...rest } = super.connector(id);
        return rest;
      }
    }
    h = await makeHarness({ legacy: new ExportOnlyLegacy() });
    h.legacy.add(structuredClone(carol));
    const engine = h.runtime.engine();
    expect(await engine.login('carol@example.com', carol.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await engine.login('carol@example.com', carol.password)).toEqual({ ok: false, reason: 'invalid_credentials' });
    const warnings = h.logs.filter((l) => l.includes('cannot check passwords'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"code":"capability_missing"');
    expect(warnings[0]).not.toContain(carol.password);
  });

  it('the mode set with setMode is shared through the store', async () => {
    h = await makeHarness();
    await h.runtime.engine().setMode('proxy');
    const other = await makeHarness({ dir: h.dir });
    try {
      expect(await other.runtime.engine().mode()).toBe('proxy');
    } finally {
      await other.runtime.close();
    }
  });
});
