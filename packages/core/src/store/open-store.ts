/**
 * Open the store a `store:` URL names.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors';
import { SqliteUserStore, sqlitePathFromUrl } from './sqlite-user-store';
import type { UserStore } from './user-store';

/** Open the store at `url` (`sqlite:<path>`, relative to `baseDir`). */
export function openStore(url: string, baseDir: string): UserStore {
  if (url.startsWith('sqlite:')) {
    const path = sqlitePathFromUrl(url);
    return new SqliteUserStore(path === ':memory:' || isAbsolute(path) ? path : resolve(baseDir, path));
  }
  throw new ConfigError('store_unsupported', `The store URL scheme in '${url.split(':')[0]}:…' is not supported yet.`, {
    hint: "Use the embedded store: 'sqlite:./ferry.db'.",
  });
}
