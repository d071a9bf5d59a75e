/**
 * Opening stores for the `ferry store` commands: reading a schema version without
 * migrating, and the two ends of a copy.
 */
import { isAbsolute, resolve } from 'node:path';
import { loadConfig } from '../config/load-config';
import { ConfigError } from '../errors';
import { PostgresCopyStore } from './postgres-store-copy';
import { isPostgresUrl } from './postgres-url';
import { SqliteStoreReader } from './sqlite-store-reader';
import { sqlitePathFromUrl } from './sqlite-user-store';
import type { SchemaVersion, StoreCopySource, StoreCopyTarget } from './store-copy';
import type { UserStore } from './user-store';

function sqlitePath(url: string, baseDir: string): string {
  const path = sqlitePathFromUrl(url);
  return path === ':memory:' || isAbsolute(path) ? path : resolve(baseDir, path);
}

/**
 * The store URL a `ferry store` command works on: `explicit` (relative SQLite paths
 * against the working directory) or else ferry.yaml's `store:` (relative to that file).
 */
export function resolveStoreUrl(explicit: string | undefined, configPath: string): { url: string; baseDir: string } {
  if (explicit !== undefined && explicit !== '') return { url: explicit, baseDir: process.cwd() };
  const loaded = loadConfig(resolve(configPath));
  return { url: loaded.config.store, baseDir: loaded.baseDir };
}

/** The schema version of the store at `url`, read without changing anything. */
export async function readSchemaVersion(url: string, baseDir: string): Promise<SchemaVersion> {
  const source = openCopySource(url, baseDir);
  try {
    return await source.schemaVersion();
  } finally {
    await source.close();
  }
}

/** Open the store at `url` as the source of a copy (read-only for SQLite). */
export function openCopySource(url: string, baseDir: string): StoreCopySource {
  if (url.startsWith('sqlite:')) return new SqliteStoreReader(sqlitePath(url, baseDir));
  if (isPostgresUrl(url)) return new PostgresCopyStore(url);
  throw new ConfigError('store_unsupported', `The store URL scheme in '${url.split(':')[0]}:…' is not supported.`, {
    hint: "Use 'sqlite:./ferry.db' or 'postgres://user:${PGPASSWORD}@host:5432/ferry'.",
  });
}

/** Open the store at `url` as the target of a copy: PostgreSQL only. */
export function openCopyTarget(url: string): UserStore & StoreCopyTarget {
  if (isPostgresUrl(url)) return new PostgresCopyStore(url);
  throw new ConfigError('store_copy_target_unsupported', 'A copy can only go into a PostgreSQL store.', {
    hint: "Use --to 'postgres://user:${PGPASSWORD}@host:5432/ferry' (SQLite is the embedded default to graduate from).",
  });
}
