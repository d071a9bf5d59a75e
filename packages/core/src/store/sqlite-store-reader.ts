/**
 * A read-only view of an SQLite store file, the source side of `ferry store copy` and
 * how `ferry store migrate` reads the schema version before migrating. Opening it never
 * creates or changes the file.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors';
import type { LegacyHash } from '../contracts/password-hash';
import type { JsonValue, UserProfile } from '../contracts/profile';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import { COPY_CHECKPOINT_PREFIX, type DumpedSetting, type DumpedUser, type SchemaVersion, type StoreCopySource, type StoreCounts, type UserKey } from './store-copy';
import type { CredentialSource, MigrationEvent, StoredLogEntry, UserOrigin } from './user-store';

const LATEST = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]?.version ?? 0;

/** Read-only access to the SQLite store at `path`. */
export class SqliteStoreReader implements StoreCopySource {
  readonly description: string;
  private readonly db: Database.Database | undefined;

  /** Open `path` read-only; a missing file reads as an empty store at schema version 0. */
  constructor(path: string) {
    this.description = `sqlite:${path}`;
    if (!existsSync(path)) return;
    try {
      this.db = new Database(path, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw new ConfigError('store_open_failed', `Cannot open the SQLite store at '${path}': ${(err as Error).message}.`, {
        hint: 'Check the path and that the file is readable.',
        cause: err,
      });
    }
  }

  async schemaVersion(): Promise<SchemaVersion> {
    const db = this.db;
    if (!db || db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() === undefined) return { current: 0, latest: LATEST };
    const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
    return { current: row?.v ?? 0, latest: LATEST };
  }

  async counts(): Promise<StoreCounts> {
    if (!this.db || (await this.schemaVersion()).current === 0) return { users: 0, credentials: 0, log: 0, settings: 0 };
    return this.db
      .prepare<[number, string], StoreCounts>(
        `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM credentials) AS credentials,
                (SELECT count(*) FROM migration_log) AS log, (SELECT count(*) FROM settings WHERE substr(key, 1, ?) <> ?) AS settings`,
      )
      .get(COPY_CHECKPOINT_PREFIX.length, COPY_CHECKPOINT_PREFIX)!;
  }

  async dumpUsers(after: UserKey | undefined, limit: number): Promise<DumpedUser[]> {
    if (!this.db) return [];
    const rows = this.db
      .prepare<[string, string, number], UserDumpRow>(
        `SELECT u.connection, u.user_id, u.profile, u.origin, u.migrated_at, u.created_at, u.updated_at,
                c.hash AS c_hash, c.scheme AS c_scheme, c.source AS c_source, c.updated_at AS c_updated_at
         FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
         WHERE (u.connection, u.user_id) > (?, ?) ORDER BY u.connection, u.user_id LIMIT ?`,
      )
      .all(after?.connection ?? '', after?.userId ?? '', limit);
    return rows.map((r) => ({
      user: { connection: r.connection, profile: JSON.parse(r.profile) as UserProfile, origin: r.origin, migratedAt: r.migrated_at, createdAt: r.created_at, updatedAt: r.updated_at },
      credential:
        r.c_hash === null || r.c_scheme === null || r.c_source === null || r.c_updated_at === null
          ? null
          : { hash: decodeHash(r.c_hash), scheme: r.c_scheme, source: r.c_source, updatedAt: r.c_updated_at },
    }));
  }

  async dumpLog(afterId: number, limit: number): Promise<StoredLogEntry[]> {
    if (!this.db) return [];
    const rows = this.db
      .prepare<[number, number], { id: number; at: string; connection: string; event: MigrationEvent; user_id: string | null; email: string | null; detail: string | null }>(
        'SELECT id, at, connection, event, user_id, email, detail FROM migration_log WHERE id > ? ORDER BY id LIMIT ?',
      )
      .all(afterId, limit);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      connection: r.connection,
      event: r.event,
      ...(r.user_id === null ? {} : { userId: r.user_id }),
      ...(r.email === null ? {} : { email: r.email }),
      ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as { [key: string]: JsonValue } }),
    }));
  }

  async dumpSettings(afterKey: string | undefined, limit: number): Promise<DumpedSetting[]> {
    if (!this.db) return [];
    return this.db
      .prepare<[string, number, string, number], { key: string; value: string; updated_at: string }>(
        'SELECT key, value, updated_at FROM settings WHERE key > ? AND substr(key, 1, ?) <> ? ORDER BY key LIMIT ?',
      )
      .all(afterKey ?? '', COPY_CHECKPOINT_PREFIX.length, COPY_CHECKPOINT_PREFIX, limit)
      .map((r) => ({ key: r.key, value: JSON.parse(r.value) as JsonValue, updatedAt: r.updated_at }));
  }

  async close(): Promise<void> {
    if (this.db?.open) this.db.close();
  }
}

interface UserDumpRow {
  connection: string;
  user_id: string;
  profile: string;
  origin: UserOrigin;
  migrated_at: string;
  created_at: string;
  updated_at: string;
  c_hash: string | null;
  c_scheme: string | null;
  c_source: CredentialSource | null;
  c_updated_at: string | null;
}

/** The SQLite store's hash encoding (see `encodeHash` there). */
function decodeHash(stored: string): LegacyHash {
  return stored.startsWith('j:') ? (JSON.parse(stored.slice(2)) as LegacyHash) : stored.slice(2);
}
