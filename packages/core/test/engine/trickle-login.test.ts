import { hash } from '@node-rs/bcrypt';
import { DataError, PasswordHashingService, TransientError, type MigrationEngine } from '../../src';
import { makeHarness, type Harness } from '../support/engine-harness';

const alice = { profile: { user_id: 'legacy-1', email: 'Alice@Example.com', name: 'Alice', email_verified: true }, password: 'correct horse 1' };

describe('engine login in import mode (trickle migration)', () => {
  let h: Harness;
  let engine: MigrationEngine;
  beforeEach(async () => {
    h = await makeHarness();
    h.legacy.add(structuredClone(alice));
    engine = h.runtime.engine();
  });
  afterEach(() => h.cleanup());

  it('migrates on the first successful login with the same user_id, an argon2id credential and a log entry', async () => {
    const result = await engine.login('alice@example.com', alice.password);
    expect(result).toEqual(expect.objectContaining({ ok: true, source: 'legacy', migrated: true }));
    const stored = await h.runtime.store.findByEmail('default', 'ALICE@example.com');
    expect(stored?.profile.user_id).toBe('legacy-1');
    expect(stored?.origin).toBe('login');
    const cred = await h.runtime.store.getCredential('default', 'legacy-1');
    expect(cred?.scheme).toBe('argon2id');
    expect(String(cred?.hash)).toMatch(/^\$argon2id\$/);
    expect(String(cred?.hash)).not.toContain(alice.password);
    const log = await h.runtime.store.readLog('default', { userId: 'legacy-1', event: 'migrated' });
    expect(log).toHaveLength(1);
  });

  it('never calls legacy again for a migrated user, even when legacy is down', async () => {
    await engine.login('alice@example.com', alice.password);
    const calls = h.legacy.calls.login;
    h.legacy.down = true;
    expect(await engine.login('alice@example.com', alice.password)).toEqual(expect.objectContaining({ ok: true, source: 'store' }));
    expect(await engine.login('alice@example.com', 'wrong')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(h.legacy.calls.login).toBe(calls);
  });

  it('a wrong password and an unknown user give the same outcome and store nothing', async () => {
    expect(await engine.login('alice@example.com', 'wrong')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect(await engine.login('nobody@example.com', 'whatever')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect((await h.runtime.store.stats('default')).total).toBe(0);
  });

  it('reports a legacy outage as transient, never as a wrong password, and stores nothing', async () => {
    h.legacy.down = true;
    await expect(engine.login('alice@example.com', alice.password)).rejects.toBeInstanceOf(TransientError);
    expect((await h.runtime.store.stats('default')).total).toBe(0);
  });

  it('turns an unclassified connector failure into a transient error', async () => {
    const connector = h.runtime.connector!;
    connector.login = async () => {
      throw new Error('socket hang up');
    };
    await expect(engine.login('alice@example.com', alice.password)).rejects.toMatchObject({ errorClass: 'transient', code: 'legacy_unavailable' });
  });

  it('maps locked and disabled legacy outcomes', async () => {
    h.legacy.add({ profile: { user_id: 'l2', email: 'locked@example.com' }, password: 'pw-locked', status: 'locked' });
    h.legacy.add({ profile: { user_id: 'l3', email: 'off@example.com' }, password: 'pw-off', status: 'disabled' });
    expect(await engine.login('locked@example.com', 'pw-locked')).toEqual({ ok: false, reason: 'locked' });
    expect(await engine.login('off@example.com', 'pw-off')).toEqual({ ok: false, reason: 'disabled' });
  });

  it('migrates a blocked legacy user but refuses the login', async () => {
    h.legacy.add({ profile: { user_id: 'b1', email: 'blocked@example.com', blocked: true }, password: 'pw-b' });
    expect(await engine.login('blocked@example.com', 'pw-b')).toEqual({ ok: false, reason: 'blocked' });
    expect(await engine.login('blocked@example.com', 'pw-b')).toEqual({ ok: false, reason: 'blocked' });
    expect(h.legacy.calls.login).toBe(1);
  });

  it('moves legacy metadata into app_metadata', async () => {
    h.legacy.add({ profile: { user_id: 'm1', email: 'meta@example.com', metadata: { plan: 'gold' }, app_metadata: { roles: ['a'] } }, password: 'pw-m' });
    const r = await engine.login('meta@example.com', 'pw-m');
    expect(r.ok && r.profile.app_metadata).toEqual({ plan: 'gold', roles: ['a'] });
    const stored = await h.runtime.store.findById('default', 'm1');
    expect(stored?.profile).not.toHaveProperty('metadata');
    expect(stored?.profile.app_metadata).toEqual({ plan: 'gold', roles: ['a'] });
  });

  it('50 parallel first logins of one user create one user, one credential, one migration log entry', async () => {
    h.legacy.loginDelayMs = 20;
    const results = await Promise.all(Array.from({ length: 50 }, () => engine.login('alice@example.com', alice.password)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.migrated)).toHaveLength(1);
    const stats = await h.runtime.store.stats('default');
    expect(stats.total).toBe(1);
    expect(stats.withCredential).toBe(1);
    expect(await h.runtime.store.readLog('default', { event: 'migrated' })).toHaveLength(1);
    expect(h.legacy.calls.login).toBe(1);
  });

  it('refuses a legacy answer whose user_id differs from the stored user with the same email, and logs it', async () => {
    await engine.getUser('alice@example.com'); // stored as legacy-1 without credential
    h.legacy.users[0]!.loginProfile = { ...alice.profile, user_id: 'legacy-RANDOM' };
    const err = await engine.login('alice@example.com', alice.password).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('legacy_id_mismatch');
    expect((await h.runtime.store.stats('default')).total).toBe(1);
    expect(await h.runtime.store.readLog('default', { event: 'id_mismatch' })).toHaveLength(1);
    expect(await h.runtime.store.getCredential('default', 'legacy-1')).toBeNull();
  });

  it('a user known from getUser gets their credential from their first legacy login', async () => {
    const got = await engine.getUser('alice@example.com');
    expect(got).toEqual(expect.objectContaining({ source: 'legacy', migrated: true }));
    expect(await h.runtime.store.getCredential('default', 'legacy-1')).toBeNull();
    const r = await engine.login('alice@example.com', alice.password);
    expect(r).toEqual(expect.objectContaining({ ok: true, migrated: true }));
    expect((await h.runtime.store.getCredential('default', 'legacy-1'))?.scheme).toBe('argon2id');
    expect(await h.runtime.store.readLog('default', { event: 'credential_set' })).toHaveLength(1);
  });

  it('detects and reports drift between the getUser and login profiles', async () => {
    await engine.getUser('alice@example.com');
    h.legacy.users[0]!.loginProfile = { ...alice.profile, name: 'Alice Renamed', user_metadata: { a: 1 } };
    await engine.login('alice@example.com', alice.password);
    const [drift] = await h.runtime.store.readLog('default', { event: 'profile_drift' });
    expect(drift?.detail).toEqual({ fields: ['name', 'user_metadata'] });
    expect(h.logs.join('')).toContain('different profiles');
  });

  it('rehashes an imported legacy hash to argon2id at the first successful login', async () => {
    const bcryptHash = await hash('imported-pw', 4);
    await h.runtime.store.createUser({
      connection: 'default',
      profile: { user_id: 'bulk-1', email: 'bulk@example.com' },
      origin: 'bulk',
      credential: { hash: bcryptHash, scheme: 'bcrypt', source: 'bulk' },
    });
    expect(new PasswordHashingService().needsRehash(bcryptHash)).toBe(true);
    expect(await engine.login('bulk@example.com', 'wrong')).toEqual({ ok: false, reason: 'invalid_credentials' });
    expect((await h.runtime.store.getCredential('default', 'bulk-1'))?.scheme).toBe('bcrypt');
    expect(await engine.login('bulk@example.com', 'imported-pw')).toEqual(expect.objectContaining({ ok: true, source: 'store' }));
    const cred = await h.runtime.store.getCredential('default', 'bulk-1');
    expect(cred?.scheme).toBe('argon2id');
    expect(cred?.source).toBe('rehash');
    expect(await engine.login('bulk@example.com', 'imported-pw')).toEqual(expect.objectContaining({ ok: true }));
    expect(await h.runtime.store.readLog('default', { event: 'rehashed' })).toHaveLength(1);
    expect(h.legacy.calls.login).toBe(0);
  });

  it('never writes a password to the logs, on success or failure', async () => {
    await engine.login('alice@example.com', alice.password);
    await engine.login('alice@example.com', 'another-secret-guess');
    h.legacy.down = true;
    await engine.login('bob@example.com', 'bobs-secret-pw').catch(() => undefined);
    const text = h.logs.join('');
    expect(text.length).toBeGreaterThan(0);
    for (const secret of [alice.password, 'another-secret-guess', 'bobs-secret-pw']) expect(text).not.toContain(secret);
  });

  it('rejects absurd input before hashing anything', async () => {
    await expect(engine.login('', 'x')).rejects.toMatchObject({ code: 'identifier_invalid' });
    await expect(engine.login('a@b.c', 'x'.repeat(5000))).rejects.toMatchObject({ code: 'password_invalid' });
    expect(h.legacy.calls.login).toBe(0);
  });
});
