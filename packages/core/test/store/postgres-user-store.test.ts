import { Client } from 'pg';
import { FerryError } from '../../src/errors';
import { openStore } from '../../src/store/open-store';
import { PostgresUserStore } from '../../src/store/postgres-user-store';
import { usePostgresServer } from './postgres-test-server';
import { runStoreContract } from './store-contract';

const pg = usePostgresServer();

runStoreContract('postgres', async () => new PostgresUserStore(pg.freshSchemaUrl()), pg.dropSchemas);

describe('PostgresUserStore', () => {
  const opened: PostgresUserStore[] = [];
  /** `n` stores (separate pools, as separate processes would have) on one fresh schema. */
  const stores = (n: number, query = ''): PostgresUserStore[] => {
    const url = pg.freshSchemaUrl(query);
    const made = Array.from({ length: n }, () => new PostgresUserStore(url));
    opened.push(...made);
    return made;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await pg.dropSchemas();
  });

  it('migrates once when several processes migrate at the same time', async () => {
    const many = stores(6, 'pool=1');
    await Promise.all(many.map((s) => s.migrate()));
    const [first] = many;
    expect(await first!.query('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
    expect(await first!.schemaVersion()).toEqual({ current: 1, latest: 1 });
  });

  it('reports version 0 before the first migration, and refuses a newer schema', async () => {
    const [store] = stores(1);
    expect(await store!.schemaVersion()).toEqual({ current: 0, latest: 1 });
    await store!.migrate();
    await store!.query("INSERT INTO schema_migrations VALUES (99, 'future', now())");
    await expect(store!.migrate()).rejects.toMatchObject({ code: 'store_schema_newer', errorClass: 'config' });
  });

  it('creates a user exactly once when 50 processes log the same user in at once', async () => {
    const many = stores(50, 'pool=1');
    await many[0]!.migrate();
    await Promise.all(many.map((s) => s.migrate()));
    const results = await Promise.all(
      many.map((s, i) =>
        s.createUser({
          connection: 'c',
          profile: { user_id: 'u1', email: 'Same@x.io' },
          origin: 'login',
          credential: { hash: `hash-${i}`, scheme: 'argon2id', source: 'login' },
          log: { event: 'migrated' },
        }),
      ),
    );
    const winners = results.filter((r) => r.created);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => !r.created).every((r) => !r.created && r.conflict === 'user_id')).toBe(true);
    const [count] = await many[0]!.query<{ users: number; creds: number; logs: number }>(
      "SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM credentials) AS creds, (SELECT count(*)::int FROM migration_log WHERE event = 'migrated') AS logs",
    );
    expect(count).toEqual({ users: 1, creds: 1, logs: 1 });
  });

  it('lets exactly one of several processes win a compare-and-set', async () => {
    const many = stores(8, 'pool=2');
    await Promise.all(many.map((s) => s.migrate()));
    await many[0]!.setSetting('lease', { owner: 'nobody' });
    for (let round = 0; round < 5; round++) {
      const current = await many[0]!.getSetting('lease');
      const wins = await Promise.all(many.map((s, i) => s.compareAndSetSetting('lease', current, { owner: `p${i}`, round })));
      expect(wins.filter(Boolean)).toHaveLength(1);
    }
    const absent = await Promise.all(many.map((s, i) => s.compareAndSetSetting('fresh', undefined, { owner: i })));
    expect(absent.filter(Boolean)).toHaveLength(1);
  });

  it('never lets concurrent bulk batches overwrite trickle logins, nor create a user twice', async () => {
    const many = stores(4, 'pool=2');
    await Promise.all(many.map((s) => s.migrate()));
    const ids = Array.from({ length: 200 }, (_, i) => `u${String(i).padStart(3, '0')}`);
    const batch = (runId: string, offset: number) => ({
      connection: 'c',
      runId,
      users: ids.map((_, k) => ids[(k + offset) % ids.length]!).map((id) => ({ profile: { user_id: id, email: `${id}@x.io` }, credential: { hash: `legacy-${id}`, scheme: 'bcrypt' } })),
    });
    const logins = ids.filter((_, i) => i % 3 === 0);
    await Promise.all([
      many[0]!.importBatch(batch('r1', 0)),
      many[1]!.importBatch(batch('r2', 100)),
      ...logins.map((id, i) =>
        many[2 + (i % 2)]!.createUser({ connection: 'c', profile: { user_id: id, email: `${id}@x.io` }, origin: 'login' }).then(() =>
          many[2 + (i % 2)]!.setCredential('c', id, { hash: `argon-${id}`, scheme: 'argon2id', source: 'login' }),
        ),
      ),
    ]);
    expect((await many[0]!.stats('c')).total).toBe(200);
    for (const id of logins) expect((await many[0]!.getCredential('c', id))?.hash).toBe(`argon-${id}`);
    const [creds] = await many[0]!.query<{ n: number }>('SELECT count(*)::int AS n FROM credentials');
    expect(creds?.n).toBe(200);
  });

  it('takes pool size and statement timeout from the URL, and maps a timeout to a transient error', async () => {
    const [store] = stores(1, 'pool=3&statement_timeout=300');
    await store!.migrate();
    expect(store!.pool.options.max).toBe(3);
    expect(await store!.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
    await expect(store!.query('SELECT pg_sleep(2)')).rejects.toMatchObject({ code: 'store_timeout', errorClass: 'transient' });
  });

  it('never shows the password: description, wrong-password and unreachable errors', async () => {
    const good = new URL(pg.url());
    const password = 'S3cret-Pa$$word';
    const wrong = new URL(good.toString());
    wrong.password = encodeURIComponent(password);
    const store = new PostgresUserStore(wrong.toString());
    opened.push(store);
    expect(store.description).not.toContain(password);
    expect(store.description).not.toContain(encodeURIComponent(password));
    expect(store.description).toContain(good.host);
    const err = await store.migrate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FerryError);
    expect(err).toMatchObject({ code: 'store_auth_failed', errorClass: 'auth' });
    const shown = JSON.stringify({ message: (err as Error).message, json: (err as FerryError).toJSON(), stack: (err as Error).stack, cause: (err as Error).cause });
    expect(shown).not.toContain(password);
    expect(shown).not.toContain(encodeURIComponent(password));
    expect(shown).not.toContain(good.password);

    const dead = new URL(wrong.toString());
    dead.port = '1';
    const unreachable = new PostgresUserStore(`${dead.toString()}?connect_timeout=2000`);
    opened.push(unreachable);
    const err2 = await unreachable.migrate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err2).toMatchObject({ code: 'store_unavailable', errorClass: 'transient' });
    expect(JSON.stringify({ m: (err2 as Error).message, s: (err2 as Error).stack })).not.toContain(password);
  });

  it('refuses bad URL options by name, without echoing the URL', () => {
    expect(() => new PostgresUserStore('postgres://u:hunter2@h/db?pool=zero')).toThrow(expect.objectContaining({ code: 'store_url_invalid', message: expect.not.stringContaining('hunter2') }));
    expect(() => new PostgresUserStore('postgres://u:hunter2@h/db?schema=Bad-Name')).toThrow(expect.objectContaining({ code: 'store_url_invalid' }));
  });

  it('is what openStore returns for postgres:// and postgresql:// URLs', async () => {
    const a = openStore(pg.url(), '/');
    const b = openStore(pg.url().replace(/^postgres:/, 'postgresql:'), '/');
    try {
      expect(a).toBeInstanceOf(PostgresUserStore);
      expect(b).toBeInstanceOf(PostgresUserStore);
      expect(b.description).not.toContain(new URL(pg.url()).password);
    } finally {
      await a.close();
      await b.close();
    }
    expect(() => openStore('mysql://x', '/')).toThrow(expect.objectContaining({ code: 'store_unsupported' }));
  });

  it('drops no committed user when a client dies mid-transaction', async () => {
    const [store] = stores(1);
    await store!.migrate();
    const client = new Client({ connectionString: pg.url(), options: `-c search_path=${new URL(store!.description).searchParams.get('schema')}` });
    await client.connect();
    await client.query('BEGIN');
    await client.query(`INSERT INTO users (connection, user_id, profile, origin, migrated_at, created_at, updated_at) VALUES ('c', 'ghost', '{"user_id":"ghost"}', 'login', now(), now(), now())`);
    await client.end();
    expect(await store!.findById('c', 'ghost')).toBeNull();
    expect((await store!.createUser({ connection: 'c', profile: { user_id: 'ghost' }, origin: 'login' })).created).toBe(true);
  });
});
