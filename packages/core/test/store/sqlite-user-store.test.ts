import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteUserStore } from '../../src/store/sqlite-user-store';

describe('SqliteUserStore', () => {
  let dir: string;
  let store: SqliteUserStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
    store = new SqliteUserStore(join(dir, 'sub', 'ferry.db'));
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the schema once and records its version; migrating again is a no-op', async () => {
    await store.migrate();
    const again = new SqliteUserStore(join(dir, 'sub', 'ferry.db'));
    await again.migrate();
    await again.close();
    const db = new Database(join(dir, 'sub', 'ferry.db'), { readonly: true });
    expect(db.prepare('SELECT version FROM schema_migrations').all()).toEqual([{ version: 1 }]);
    db.close();
  });

  it('refuses a schema newer than it understands', async () => {
    const db = new Database(join(dir, 'sub', 'ferry.db'));
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'now')").run();
    db.close();
    const s = new SqliteUserStore(join(dir, 'sub', 'ferry.db'));
    await expect(s.migrate()).rejects.toMatchObject({ code: 'store_schema_newer' });
    await s.close();
  });

  it('writes user, credential and log entry together, and reports conflicts without writing', async () => {
    const r = await store.createUser({
      connection: 'c',
      profile: { user_id: 'u1', email: 'Ann@Example.com', username: 'Ann' },
      origin: 'login',
      credential: { hash: '$argon2id$x', scheme: 'argon2id', source: 'login' },
      log: { event: 'migrated', email: 'Ann@Example.com' },
    });
    expect(r.created).toBe(true);
    expect((await store.findForLogin('c', 'ann@example.COM'))?.credential?.hash).toBe('$argon2id$x');
    expect((await store.findForLogin('c', 'ANN'))?.user.profile.user_id).toBe('u1');
    const dupEmail = await store.createUser({ connection: 'c', profile: { user_id: 'u2', email: 'ann@example.com' }, origin: 'bulk', log: { event: 'migrated' } });
    expect(dupEmail).toEqual(expect.objectContaining({ created: false, conflict: 'email' }));
    const dupId = await store.createUser({ connection: 'c', profile: { user_id: 'u1', email: 'other@example.com' }, origin: 'bulk' });
    expect(dupId).toEqual(expect.objectContaining({ created: false, conflict: 'user_id' }));
    const dupName = await store.createUser({ connection: 'c', profile: { user_id: 'u3', username: 'ann' }, origin: 'bulk' });
    expect(dupName).toEqual(expect.objectContaining({ created: false, conflict: 'username' }));
    expect(await store.readLog('c')).toHaveLength(1);
    // Another connection is a separate namespace.
    expect((await store.createUser({ connection: 'd', profile: { user_id: 'u1', email: 'ann@example.com' }, origin: 'bulk' })).created).toBe(true);
  });

  it('keeps structured hashes as objects and strings as strings', async () => {
    const structured = { algorithm: 'sha256', hash: { value: 'abc', encoding: 'hex' } };
    await store.createUser({ connection: 'c', profile: { user_id: 'u1' }, origin: 'bulk', credential: { hash: structured, scheme: 'sha256', source: 'bulk' } });
    expect((await store.getCredential('c', 'u1'))?.hash).toEqual(structured);
    await store.createUser({ connection: 'c', profile: { user_id: 'u2' }, origin: 'bulk', credential: { hash: 'j:{"x":1}', scheme: 'odd', source: 'bulk' } });
    expect((await store.getCredential('c', 'u2'))?.hash).toBe('j:{"x":1}');
  });

  it('setCredential honours ifAbsent and ifCurrent', async () => {
    await store.createUser({ connection: 'c', profile: { user_id: 'u1' }, origin: 'get_user' });
    const cred = (h: string) => ({ hash: h, scheme: 's', source: 'login' as const });
    expect(await store.setCredential('c', 'u1', cred('A'), { ifAbsent: true })).toBe(true);
    expect(await store.setCredential('c', 'u1', cred('B'), { ifAbsent: true })).toBe(false);
    expect(await store.setCredential('c', 'u1', cred('C'), { ifCurrent: 'B' })).toBe(false);
    expect(await store.setCredential('c', 'u1', cred('C'), { ifCurrent: 'A', log: { event: 'rehashed' } })).toBe(true);
    expect((await store.getCredential('c', 'u1'))?.hash).toBe('C');
    expect(await store.setCredential('c', 'missing', cred('X'))).toBe(false);
    expect(await store.readLog('c', { event: 'rehashed' })).toHaveLength(1);
  });

  it('lists with keyset paging and a search that treats wildcards literally', async () => {
    for (const [id, email] of [['a', 'a_1@x.io'], ['b', 'ab1@x.io'], ['c', 'c@x.io']] as const) {
      await store.createUser({ connection: 'c', profile: { user_id: id, email }, origin: 'bulk' });
    }
    expect((await store.listUsers({ connection: 'c', limit: 2 })).map((u) => u.profile.user_id)).toEqual(['a', 'b']);
    expect((await store.listUsers({ connection: 'c', after: 'b' })).map((u) => u.profile.user_id)).toEqual(['c']);
    expect((await store.listUsers({ connection: 'c', search: 'a_1' })).map((u) => u.profile.user_id)).toEqual(['a']);
    expect((await store.listUsers({ connection: 'c', search: "' OR 1=1 --" }))).toEqual([]);
  });

  it('counts users by origin and credentials by scheme; deleting cascades to the credential', async () => {
    await store.createUser({ connection: 'c', profile: { user_id: 'u1', blocked: true }, origin: 'bulk', credential: { hash: 'x', scheme: 'bcrypt', source: 'bulk' } });
    await store.createUser({ connection: 'c', profile: { user_id: 'u2' }, origin: 'login', credential: { hash: 'y', scheme: 'argon2id', source: 'login' } });
    await store.createUser({ connection: 'c', profile: { user_id: 'u3' }, origin: 'get_user' });
    const stats = await store.stats('c');
    expect(stats).toEqual({
      total: 3,
      byOrigin: { login: 1, get_user: 1, bulk: 1, native: 0 },
      withCredential: 2,
      blocked: 1,
      credentialsByScheme: { argon2id: 1, bcrypt: 1 },
    });
    expect(await store.deleteUser('c', 'u1')).toBe(true);
    expect(await store.getCredential('c', 'u1')).toBeNull();
    expect(await store.deleteUser('c', 'u1')).toBe(false);
    expect((await store.stats('c')).credentialsByScheme).toEqual({ argon2id: 1 });
    expect(await store.readLog('c', { event: 'deleted' })).toHaveLength(1);
  });

  it('imports a batch atomically with its checkpoint, never overwriting users already there', async () => {
    await store.createUser({
      connection: 'c',
      profile: { user_id: 'u1', email: 'one@example.com' },
      origin: 'login',
      credential: { hash: 'argon2-hash', scheme: 'argon2id', source: 'login' },
    });
    const users = [
      { profile: { user_id: 'u1', email: 'one@example.com' }, credential: { hash: 'legacy', scheme: 'bcrypt' } },
      { profile: { user_id: 'u2', email: 'Two@example.com' }, credential: { hash: 'h2', scheme: 'bcrypt' } },
      { profile: { user_id: 'u3', email: 'two@EXAMPLE.com' } },
    ];
    const result = await store.importBatch({
      connection: 'c',
      runId: 'r1',
      users,
      checkpoint: (r) => ({ key: 'bulk:r1', value: { page: 1, created: r.created } }),
    });
    expect(result.created).toBe(1);
    expect(result.conflicts).toEqual([
      { userId: 'u1', email: 'one@example.com', conflict: 'user_id', existingUserId: 'u1', sameRun: false },
      { userId: 'u3', email: 'two@EXAMPLE.com', conflict: 'email', existingUserId: 'u2', sameRun: true },
    ]);
    expect(await store.getSetting('bulk:r1')).toEqual({ page: 1, created: 1 });
    expect((await store.getCredential('c', 'u1'))?.hash).toBe('argon2-hash');
    expect(await store.getCredential('c', 'u2')).toMatchObject({ hash: 'h2', scheme: 'bcrypt', source: 'bulk' });
    expect((await store.findById('c', 'u2'))?.origin).toBe('bulk');
    const existing = await store.findExisting('c', ['u1', 'u9'], ['TWO@example.com', 'none@example.com']);
    expect([...existing.userIds]).toEqual(['u1']);
    expect([...existing.emails]).toEqual([['two@example.com', 'u2']]);
    expect(await store.listUserIds('c', undefined, 10)).toEqual(['u1', 'u2']);
    expect(await store.listUserIds('c', 'u1', 10)).toEqual(['u2']);
  });

  it('rolls back the whole batch when the transaction fails', async () => {
    await expect(
      store.importBatch({
        connection: 'c',
        runId: 'r1',
        users: [{ profile: { user_id: 'a' } }],
        checkpoint: () => {
          throw new Error('boom');
        },
      }),
    ).rejects.toThrow('boom');
    expect(await store.findById('c', 'a')).toBeNull();
  });

  it('compare-and-set on settings', async () => {
    expect(await store.compareAndSetSetting('lock', undefined, { owner: 'a' })).toBe(true);
    expect(await store.compareAndSetSetting('lock', undefined, { owner: 'b' })).toBe(false);
    expect(await store.compareAndSetSetting('lock', { owner: 'a' }, { owner: 'b' })).toBe(true);
    expect(await store.compareAndSetSetting('lock', { owner: 'b' }, undefined)).toBe(true);
    expect(await store.getSetting('lock')).toBeUndefined();
  });

  it('persists settings as JSON', async () => {
    expect(await store.getSetting('mode:c')).toBeUndefined();
    await store.setSetting('mode:c', 'proxy');
    expect(await store.getSetting('mode:c')).toBe('proxy');
  });
});
