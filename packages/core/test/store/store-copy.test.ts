import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCopySource, openCopyTarget, readSchemaVersion } from '../../src/store/store-admin';
import { copyStore } from '../../src/store/store-copy';
import { SqliteUserStore } from '../../src/store/sqlite-user-store';
import type { UserStore } from '../../src/store/user-store';
import { usePostgresServer } from './postgres-test-server';

const pg = usePostgresServer();
let dir: string;
const closing: Array<{ close(): Promise<void> }> = [];
const track = <T extends { close(): Promise<void> }>(s: T): T => {
  closing.push(s);
  return s;
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-copy-'));
});
afterEach(async () => {
  await Promise.all(closing.splice(0).map((s) => s.close()));
  await pg.dropSchemas();
  rmSync(dir, { recursive: true, force: true });
});

/** An SQLite store with 25 users over two connections, credentials of both kinds, log and settings. */
async function filledSqlite(): Promise<string> {
  const store = new SqliteUserStore(join(dir, 'ferry.db'));
  await store.migrate();
  for (let i = 0; i < 25; i++) {
    await store.createUser({
      connection: i % 5 === 0 ? 'other' : 'default',
      profile: { user_id: `u${i}`, email: `User${i}@x.io`, ...(i % 2 ? { username: `name${i}` } : {}), name: `User ${i}`, blocked: i === 3 },
      origin: i % 3 === 0 ? 'bulk' : 'login',
      ...(i % 4 === 3 ? {} : { credential: { hash: i % 2 ? `$2b$10$hash${i}` : { algorithm: 'sha1', hash: { value: `h${i}` } }, scheme: i % 2 ? 'bcrypt' : 'sha1', source: 'bulk' } }),
      log: { event: 'migrated', detail: { run: 'r1', i } },
    });
  }
  await store.setSetting('mode:default', 'migrate');
  await store.setSetting('bulk:r1', { page: 3, done: true });
  await store.close();
  return `sqlite:${join(dir, 'ferry.db')}`;
}

async function everything(store: UserStore, connection: string) {
  const users = await store.listUsers({ connection, limit: 1000 });
  return {
    users,
    credentials: await Promise.all(users.map((u) => store.getCredential(connection, u.profile.user_id))),
    log: (await store.readLog(connection, { limit: 1000 })).map(({ id: _id, ...rest }) => rest),
    stats: await store.stats(connection),
  };
}

describe('ferry store copy (core)', () => {
  it('copies users, credentials, log and settings from SQLite to PostgreSQL exactly, in batches, and re-runs as a no-op', async () => {
    const from = await filledSqlite();
    const to = pg.freshSchemaUrl();
    const progress: string[] = [];
    const result = await copyStore(track(openCopySource(from, dir)), track(openCopyTarget(to)), { batchSize: 7, onProgress: (phase) => progress.push(phase) });
    expect(result.mode).toBe('fresh');
    expect(result.source).toEqual({ users: 25, credentials: 19, log: 25, settings: 2 });
    expect(result.copied).toEqual(result.source);
    expect(result.targetAfter).toEqual(result.source);
    expect(progress.filter((p) => p === 'users')).toHaveLength(4);

    const sqlite = track(new SqliteUserStore(join(dir, 'ferry.db')));
    await sqlite.migrate();
    const target = track(openCopyTarget(to));
    await target.migrate();
    for (const connection of ['default', 'other']) expect(await everything(target, connection)).toEqual(await everything(sqlite, connection));
    expect(await target.getSetting('bulk:r1')).toEqual({ page: 3, done: true });
    expect((await target.findForLogin('default', 'USER1@x.io'))?.credential?.hash).toBe('$2b$10$hash1');

    const again = await copyStore(track(openCopySource(from, dir)), track(openCopyTarget(to)), { batchSize: 7 });
    expect(again.mode).toBe('resume');
    expect(again.copied).toEqual({ users: 0, credentials: 0, log: 0, settings: 0 });
    expect(again.alreadyPresent).toBe(25);
    expect(again.targetAfter).toEqual(result.targetAfter);
  });

  it('refuses a non-empty target unless --merge, and then keeps what the target holds', async () => {
    const from = await filledSqlite();
    const to = pg.freshSchemaUrl();
    const target = track(openCopyTarget(to));
    await target.migrate();
    await target.createUser({ connection: 'default', profile: { user_id: 'u1', email: 'user1@x.io' }, origin: 'login', credential: { hash: '$argon2id$new', scheme: 'argon2id', source: 'login' } });
    await target.createUser({ connection: 'default', profile: { user_id: 'someone-else', email: 'USER2@x.io' }, origin: 'native' });
    await target.createUser({ connection: 'default', profile: { user_id: 'third', username: 'NAME7' }, origin: 'native' });
    await target.setSetting('mode:default', 'proxy');

    await expect(copyStore(track(openCopySource(from, dir)), track(openCopyTarget(to)))).rejects.toMatchObject({ code: 'store_copy_target_not_empty', errorClass: 'config' });
    const merged = await copyStore(track(openCopySource(from, dir)), track(openCopyTarget(to)), { merge: true, batchSize: 10 });
    expect(merged.mode).toBe('merge');
    expect(merged.alreadyPresent).toBe(1);
    expect(merged.conflictCount).toBe(2);
    expect(merged.conflicts).toEqual([
      { connection: 'default', userId: 'u2', conflict: 'email' },
      { connection: 'default', userId: 'u7', conflict: 'username' },
    ]);
    expect(merged.copied.users).toBe(22);
    expect((await target.getCredential('default', 'u1'))?.hash).toBe('$argon2id$new');
    expect(await target.getSetting('mode:default')).toBe('proxy');
    expect(merged.copied.settings).toBe(1);
  });

  it('reads schema versions without migrating, and refuses an outdated source or an SQLite target', async () => {
    expect(await readSchemaVersion('sqlite:./none.db', dir)).toEqual({ current: 0, latest: 1 });
    expect(await readSchemaVersion(pg.freshSchemaUrl(), dir)).toEqual({ current: 0, latest: 1 });
    await expect(copyStore(track(openCopySource('sqlite:./none.db', dir)), track(openCopyTarget(pg.freshSchemaUrl())))).rejects.toMatchObject({ code: 'store_copy_source_schema' });
    expect(() => openCopyTarget('sqlite:./x.db')).toThrow(expect.objectContaining({ code: 'store_copy_target_unsupported' }));
  });
});
