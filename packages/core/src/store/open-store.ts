/**
 * Open the store a `store:` URL names.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors';
import { PostgresUserStore } from './postgres-user-store';
import { isPostgresUrl } from './postgres-url';
import { SqliteUserStore, sqlitePathFromUrl } from './sqlite-user-store';
import type { UserStore } from './user-store';

/** Open the store at `url`: `sqlite:<path>` (relative to `baseDir`) or `postgres://…` / `postgresql://…`. */
export function openStore(url: string, baseDir: string): UserStore {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePathFromUrl(url);
    return new SqliteUserStore(path === ':memory:' || isAbsolute(path) ? path : resolve(baseDir, path));
  }
  if (isPostgresUrl(url)) return new PostgresUserStore(url);
  throw new ConfigError('store_unsupported', `The store URL scheme in '${url.split(':')[0]}:…' is not supported.`, {
    hint: "Use the embedded store 'sqlite:./ferry.db', or PostgreSQL: 'postgres://user:${PGPASSWORD}@host:5432/ferry?pool=10'.",
  });
}
