/**
 * The behaviour every {@link UserStore} must have, run by each store's test file:
 * `runStoreContract('sqlite', open, cleanup)`. `open` returns a fresh, empty store (not
 * yet migrated); `cleanup` runs after it is closed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DryRunKeys } from '../../src/bulk/dry-run-keys';
import type { UserStore } from '../../src/store/user-store';

/** Register the store contract suite for one store implementation. */
export function runStoreContract(name: string, open: () => Promise<UserStore>, cleanup: () => Promise<void> = async () => undefined): void {
  describe(`UserStore contract (${name})`, () => {
    let store: UserStore;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it('migrating again is a no-op', async () => {
      await store.createUser({ connection: 'c', profile: { user_id: 'u1' }, origin: 'bulk' });
      await store.migrate();
      expect(await store.findById('c', 'u1')).not.toBeNull();
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

    it('returns what it stored: profile, origin and ISO timestamps', async () => {
      const profile = { user_id: 'u1', email: 'a@x.io', name: 'Ann', blocked: false, app_metadata: { plan: 'pro', n: 3, tags: ['a'] } };
      const r = await store.createUser({ connection: 'c', profile, origin: 'get_user' });
      if (!r.created) throw new Error('not created');
      const found = await store.findById('c', 'u1');
      expect(found).toEqual(r.user);
      expect(found?.migratedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await store.findByEmail('c', 'A@X.IO')).toEqual(found);
      expect(await store.findByUsername('c', 'a@x.io')).toBeNull();
      expect(await store.findForLogin('c', 'nobody@x.io')).toBeNull();
      expect((await store.findForLogin('c', 'a@x.io'))?.credential).toBeNull();
    });

    it('findForLogin prefers the email for identifiers with @, the username otherwise', async () => {
      await store.createUser({ connection: 'c', profile: { user_id: 'by-email', email: 'x@y.io' }, origin: 'bulk' });
      await store.createUser({ connection: 'c', profile: { user_id: 'by-name', username: 'x@y.io', email: 'other@y.io' }, origin: 'bulk' });
      await store.createUser({ connection: 'c', profile: { user_id: 'plain', username: 'bob' }, origin: 'bulk' });
      expect((await store.findForLogin('c', 'X@Y.io'))?.user.profile.user_id).toBe('by-email');
      expect((await store.findForLogin('c', 'BOB'))?.user.profile.user_id).toBe('plain');
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
      expect(await store.setCredential('c', 'u1', { hash: 'D', scheme: 'argon2id', source: 'password_change' })).toBe(true);
      expect(await store.getCredential('c', 'u1')).toMatchObject({ hash: 'D', scheme: 'argon2id', source: 'password_change' });
      expect(await store.setCredential('c', 'missing', cred('X'))).toBe(false);
      expect(await store.setCredential('c', 'missing', cred('X'), { ifAbsent: true })).toBe(false);
      expect(await store.readLog('c', { event: 'rehashed' })).toHaveLength(1);
    });

    it('updates a profile and its lookup keys', async () => {
      await store.createUser({ connection: 'c', profile: { user_id: 'u1', email: 'old@x.io' }, origin: 'bulk' });
      expect(await store.updateProfile('c', 'u1', { user_id: 'u1', email: 'New@x.io', blocked: true })).toBe(true);
      expect(await store.findByEmail('c', 'old@x.io')).toBeNull();
      expect((await store.findByEmail('c', 'new@x.io'))?.profile.blocked).toBe(true);
      expect((await store.stats('c')).blocked).toBe(1);
      expect(await store.updateProfile('c', 'gone', { user_id: 'gone' })).toBe(false);
    });

    it('lists with keyset paging and a search that treats wildcards literally', async () => {
      for (const [id, email] of [['a', 'a_1@x.io'], ['b', 'ab1@x.io'], ['c', 'c@x.io']] as const) {
        await store.createUser({ connection: 'c', profile: { user_id: id, email }, origin: 'bulk' });
      }
      expect((await store.listUsers({ connection: 'c', limit: 2 })).map((u) => u.profile.user_id)).toEqual(['a', 'b']);
      expect((await store.listUsers({ connection: 'c', after: 'b' })).map((u) => u.profile.user_id)).toEqual(['c']);
      expect((await store.listUsers({ connection: 'c', search: 'a_1' })).map((u) => u.profile.user_id)).toEqual(['a']);
      expect(await store.listUsers({ connection: 'c', search: "' OR 1=1 --" })).toEqual([]);
    });

    it('orders user ids byte-wise, as SQLite does', async () => {
      for (const id of ['b', 'B', 'a_1', 'ab', 'a-2', 'é']) await store.createUser({ connection: 'c', profile: { user_id: id }, origin: 'bulk' });
      const sorted = ['B', 'a-2', 'a_1', 'ab', 'b', 'é'];
      expect(await store.listUserIds('c', undefined, 10)).toEqual(sorted);
      expect((await store.listUsers({ connection: 'c', after: 'a_1' })).map((u) => u.profile.user_id)).toEqual(sorted.slice(3));
      expect((await store.listUsers({ connection: 'c', origin: 'login' }))).toEqual([]);
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

    it('reads the log newest first, filtered by user and event', async () => {
      await store.appendLog({ connection: 'c', event: 'mode_changed', detail: { from: 'proxy', to: 'migrate' } });
      await store.appendLog({ connection: 'c', event: 'id_mismatch', userId: 'u1', email: 'a@x.io', detail: { legacy: 'u9' } });
      await store.appendLog({ connection: 'other', event: 'mode_changed' });
      const log = await store.readLog('c');
      expect(log.map((e) => e.event)).toEqual(['id_mismatch', 'mode_changed']);
      expect(log[0]).toEqual({ id: expect.any(Number), at: expect.any(String), connection: 'c', event: 'id_mismatch', userId: 'u1', email: 'a@x.io', detail: { legacy: 'u9' } });
      expect(log[1]).not.toHaveProperty('userId');
      expect(await store.readLog('c', { userId: 'u1' })).toHaveLength(1);
      expect(await store.readLog('c', { event: 'mode_changed', limit: 1 })).toHaveLength(1);
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
      expect(await store.readLog('c', { userId: 'u2' })).toEqual([expect.objectContaining({ event: 'migrated', email: 'Two@example.com', detail: { run: 'r1' } })]);
      const existing = await store.findExisting('c', ['u1', 'u9'], ['TWO@example.com', 'none@example.com']);
      expect([...existing.userIds]).toEqual(['u1']);
      expect([...existing.emails]).toEqual([['two@example.com', 'u2']]);
      expect(existing.usernames).toEqual(new Map());
      expect(await store.listUserIds('c', undefined, 10)).toEqual(['u1', 'u2']);
      expect(await store.listUserIds('c', 'u1', 10)).toEqual(['u2']);
    });

    it("a dry run's DryRunKeys predicts importBatch's conflicts, in order", async () => {
      await store.createUser({ connection: 'c', profile: { user_id: 's1', email: 'taken@x.io', username: 'Held' }, origin: 'native' });
      const profiles = [
        { user_id: 'a', email: 'A@x.io', username: 'ann' },
        { user_id: 'a', email: 'a2@x.io' },
        { user_id: 'b', email: ' a@X.io' },
        { user_id: 'c', email: 'c@x.io', username: 'ANN' },
        { user_id: 'd', email: 'TAKEN@x.io', username: 'ann' },
        { user_id: 'e', email: 'e@x.io', username: 'held ' },
        { user_id: 's1', email: 'new@x.io' },
        { user_id: 'f', email: 'f@x.io', username: 'fay' },
      ];
      const scratch = mkdtempSync(join(tmpdir(), 'ferry-contract-'));
      const keys = new DryRunKeys(scratch);
      try {
        const existing = await store.findExisting('c', ...DryRunKeys.lookupOf(profiles));
        const predicted = profiles.flatMap((p) => keys.claim(p, existing) ?? []);
        const result = await store.importBatch({ connection: 'c', runId: 'r9', users: profiles.map((profile) => ({ profile })) });
        expect(result.created).toBe(2);
        expect(predicted).toEqual(result.conflicts);
      } finally {
        keys.close();
        rmSync(scratch, { recursive: true, force: true });
      }
    });

    it('resolves duplicates inside a batch in order, as inserting one by one would', async () => {
      const result = await store.importBatch({
        connection: 'c',
        runId: 'r2',
        users: [
          { profile: { user_id: 'a', username: 'Sam' } },
          { profile: { user_id: 'a', email: 'a2@x.io' } },
          { profile: { user_id: 'b', username: 'sam' } },
          { profile: { user_id: 'c', email: 'c@x.io' }, credential: { hash: { algorithm: 'md5', hash: { value: 'ff' } }, scheme: 'md5' } },
        ],
      });
      expect(result.created).toBe(2);
      expect(result.conflicts).toEqual([
        { userId: 'a', email: 'a2@x.io', conflict: 'user_id', existingUserId: 'a', sameRun: true },
        { userId: 'b', conflict: 'username', existingUserId: 'a', sameRun: true },
      ]);
      expect((await store.getCredential('c', 'c'))?.hash).toEqual({ algorithm: 'md5', hash: { value: 'ff' } });
      const replay = await store.importBatch({ connection: 'c', runId: 'r3', users: [{ profile: { user_id: 'c' } }] });
      expect(replay).toEqual({ created: 0, conflicts: [{ userId: 'c', conflict: 'user_id', existingUserId: 'c', sameRun: false }] });
      expect(await store.findExisting('c', [], [])).toEqual({ userIds: new Set(), emails: new Map(), usernames: new Map() });
      const byName = await store.findExisting('c', [], [], [' SAM ', 'nobody']);
      expect([...byName.usernames]).toEqual([['sam', 'a']]);
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

    it('checks a batch guard against the committed setting before writing anything', async () => {
      await store.setSetting('lease', { owner: 'w1' });
      const fence = (owner: string) => ({
        key: 'lease',
        check: (current: unknown) => {
          if ((current as { owner?: string } | undefined)?.owner !== owner) throw new Error(`lease lost by ${owner}`);
        },
      });
      await expect(
        store.importBatch({ connection: 'c', runId: 'r1', users: [{ profile: { user_id: 'a' } }], guard: fence('w2'), checkpoint: () => ({ key: 'state', value: 1 }) }),
      ).rejects.toThrow('lease lost by w2');
      expect(await store.findById('c', 'a')).toBeNull();
      expect(await store.getSetting('state')).toBeUndefined();
      const ok = await store.importBatch({ connection: 'c', runId: 'r1', users: [{ profile: { user_id: 'a' } }], guard: fence('w1'), checkpoint: () => ({ key: 'state', value: 1 }) });
      expect(ok.created).toBe(1);
      expect(await store.getSetting('state')).toBe(1);
    });

    it('creates a user once when the same first login arrives many times at once', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.createUser({
            connection: 'c',
            profile: { user_id: 'same', email: 'same@x.io' },
            origin: 'login',
            credential: { hash: `h${i}`, scheme: 'argon2id', source: 'login' },
            log: { event: 'migrated' },
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await store.readLog('c', { event: 'migrated' })).toHaveLength(1);
    });

    it('compare-and-set on settings', async () => {
      expect(await store.compareAndSetSetting('lock', undefined, { owner: 'a' })).toBe(true);
      expect(await store.compareAndSetSetting('lock', undefined, { owner: 'b' })).toBe(false);
      expect(await store.compareAndSetSetting('lock', { owner: 'x' }, { owner: 'b' })).toBe(false);
      expect(await store.compareAndSetSetting('lock', { owner: 'a' }, { owner: 'b' })).toBe(true);
      expect(await store.compareAndSetSetting('lock', { owner: 'a' }, undefined)).toBe(false);
      expect(await store.compareAndSetSetting('lock', { owner: 'b' }, undefined)).toBe(true);
      expect(await store.getSetting('lock')).toBeUndefined();
      expect(await store.compareAndSetSetting('lock', undefined, undefined)).toBe(true);
    });

    it('persists settings as JSON', async () => {
      expect(await store.getSetting('mode:c')).toBeUndefined();
      await store.setSetting('mode:c', 'proxy');
      expect(await store.getSetting('mode:c')).toBe('proxy');
      await store.setSetting('mode:c', { nested: [1, 'two', null, true] });
      expect(await store.getSetting('mode:c')).toEqual({ nested: [1, 'two', null, true] });
    });
  });
}
