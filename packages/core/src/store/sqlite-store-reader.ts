/**
 * A read-only view of an SQLite store file, the source side of `ferry store copy` and
 * how `ferry store migrate` reads the schema version before migrating. Opening it never
 * creates or changes the file.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ConfigError } from '../errors';
import type { JsonValue } from '../contracts/profile';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import { JOINED_CREDENTIAL_COLUMNS, LOG_COLUMNS, USER_COLUMNS, joinedCredential, toLogEntry, toUser, type LogRow, type UserWithCredentialRow } from './sqlite-rows';
import { COPY_CHECKPOINT_PREFIX, type DumpedSetting, type DumpedUser, type SchemaVersion, type StoreCopySource, type StoreCounts, type UserKey } from './store-copy';
import type { StoredLogEntry } from './user-store';

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
      .prepare<[string, string, number], UserWithCredentialRow>(
        `SELECT ${USER_COLUMNS}, ${JOINED_CREDENTIAL_COLUMNS}
         FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
         WHERE (u.connection, u.user_id) > (?, ?) ORDER BY u.connection, u.user_id LIMIT ?`,
      )
      .all(after?.connection ?? '', after?.userId ?? '', limit);
    return rows.map((r) => ({ user: toUser(r), credential: joinedCredential(r) }));
  }

  async dumpLog(afterId: number, limit: number): Promise<StoredLogEntry[]> {
    if (!this.db) return [];
    return this.db
      .prepare<[number, number], LogRow>(`SELECT ${LOG_COLUMNS} FROM migration_log WHERE id > ? ORDER BY id LIMIT ?`)
      .all(afterId, limit)
      .map(toLogEntry);
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
