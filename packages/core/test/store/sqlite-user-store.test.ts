import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteUserStore } from '../../src/store/sqlite-user-store';
import { runStoreContract } from './store-contract';

let contractDir: string | undefined;
runStoreContract(
  'sqlite',
  async () => {
    contractDir = mkdtempSync(join(tmpdir(), 'ferry-store-'));
    return new SqliteUserStore(join(contractDir, 'ferry.db'));
  },
  async () => {
    if (contractDir) rmSync(contractDir, { recursive: true, force: true });
  },
);

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
});
