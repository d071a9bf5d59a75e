/**
 * The embedded default store: one SQLite file through better-sqlite3, in WAL mode so
 * that readers never block the writer and several processes can share the file.
 * better-sqlite3 is synchronous; the async interface keeps the PostgreSQL store a
 * drop-in replacement.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, FerryError } from '../errors';
import type { LegacyHash } from '../contracts/password-hash';
import type { JsonValue, UserProfile } from '../contracts/profile';
import { SQLITE_MIGRATIONS } from './sqlite-migrations';
import {
  JOINED_CREDENTIAL_COLUMNS,
  LOG_COLUMNS,
  USER_COLUMNS,
  encodeHash,
  joinedCredential,
  toCredential,
  toLogEntry,
  toUser,
  type CredentialRow,
  type LogRow,
  type UserRow,
  type UserWithCredentialRow,
} from './sqlite-rows';
import {
  USER_ORIGINS,
  normaliseKey,
  type BulkConflict,
  type CreateUserResult,
  type CredentialSource,
  type ExistingUsers,
  type ImportBatch,
  type ImportBatchResult,
  type ListUsersOptions,
  type MigrationEvent,
  type MigrationLogEntry,
  type NewUser,
  type SetCredentialOptions,
  type StoreStats,
  type StoredCredential,
  type StoredLogEntry,
  type StoredUser,
  type UserOrigin,
  type UserStore,
} from './user-store';

/** Parse `sqlite:<path>` (or `sqlite::memory:`) into a file path. */
export function sqlitePathFromUrl(url: string): string {
  if (!url.startsWith('sqlite:')) {
    throw new ConfigError('store_url_invalid', `The store URL '${url}' is not an SQLite URL.`, {
      hint: "Use 'sqlite:./ferry.db' (a file path after 'sqlite:').",
    });
  }
  const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
  if (path === '') throw new ConfigError('store_url_invalid', 'The SQLite store URL has no file path.', { hint: "Use 'sqlite:./ferry.db'." });
  return path;
}

/** SQLite implementation of {@link UserStore}. */
export class SqliteUserStore implements UserStore {
  readonly description: string;
  private readonly db: Database.Database;
  private prepared: ReturnType<SqliteUserStore['prepare']> | undefined;
  /** Set once this connection ran a bulk import (see importBatch). */
  private bulkWriting = false;

  /** Open (creating when needed) the database file at `path`. */
  constructor(path: string) {
    this.description = `sqlite:${path}`;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
    } catch (err) {
      throw new ConfigError('store_open_failed', `Cannot open the SQLite store at '${path}': ${(err as Error).message}.`, {
        hint: 'Check that the directory exists and is writable, or point `store:` in ferry.yaml elsewhere.',
        cause: err,
      });
    }
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 10000');
  }

  private get s(): ReturnType<SqliteUserStore['prepare']> {
    if (this.prepared === undefined) {
      throw new FerryError('store_not_migrated', 'internal', 'The store was used before migrate() ran.');
    }
    return this.prepared;
  }

  private prepare() {
    const db = this.db;
    return {
      byId: db.prepare<[string, string], UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = ? AND u.user_id = ?`),
      byEmail: db.prepare<[string, string], UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = ? AND u.email_lower = ?`),
      byUsername: db.prepare<[string, string], UserRow>(
        `SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = ? AND u.username_lower = ?`,
      ),
      loginByEmail: db.prepare<[string, string], UserWithCredentialRow>(
        `SELECT ${USER_COLUMNS}, ${JOINED_CREDENTIAL_COLUMNS}
         FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
         WHERE u.connection = ? AND u.email_lower = ?`,
      ),
      loginByUsername: db.prepare<[string, string], UserWithCredentialRow>(
        `SELECT ${USER_COLUMNS}, ${JOINED_CREDENTIAL_COLUMNS}
         FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
         WHERE u.connection = ? AND u.username_lower = ?`,
      ),
      credential: db.prepare<[string, string], CredentialRow>(
        'SELECT hash, scheme, source, updated_at FROM credentials WHERE connection = ? AND user_id = ?',
      ),
      insertUser: db.prepare(
        `INSERT INTO users (connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
         VALUES (@connection, @user_id, @email_lower, @username_lower, @profile, @blocked, @origin, @now, @now, @now)
         ON CONFLICT DO NOTHING`,
      ),
      upsertCredential: db.prepare(
        `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (connection, user_id) DO UPDATE SET hash = excluded.hash, scheme = excluded.scheme,
           source = excluded.source, updated_at = excluded.updated_at`,
      ),
      insertCredentialIfAbsent: db.prepare(
        `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (connection, user_id) DO NOTHING`,
      ),
      replaceCredentialIf: db.prepare(
        `UPDATE credentials SET hash = ?, scheme = ?, source = ?, updated_at = ? WHERE connection = ? AND user_id = ? AND hash = ?`,
      ),
      updateProfile: db.prepare(
        `UPDATE users SET email_lower = ?, username_lower = ?, profile = ?, blocked = ?, updated_at = ? WHERE connection = ? AND user_id = ?`,
      ),
      deleteUser: db.prepare('DELETE FROM users WHERE connection = ? AND user_id = ?'),
      insertLog: db.prepare('INSERT INTO migration_log (at, connection, event, user_id, email, detail) VALUES (?, ?, ?, ?, ?, ?)'),
      getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
      deleteSetting: db.prepare('DELETE FROM settings WHERE key = ?'),
      loggedByRun: db.prepare<[string, string, string], { n: number }>(
        `SELECT 1 AS n FROM migration_log WHERE connection = ? AND user_id = ? AND event = 'migrated' AND json_extract(detail, '$.run') = ? LIMIT 1`,
      ),
      existingIds: db.prepare<[string, string], { user_id: string }>(
        'SELECT user_id FROM users WHERE connection = ? AND user_id IN (SELECT value FROM json_each(?))',
      ),
      existingEmails: db.prepare<[string, string], { user_id: string; email_lower: string }>(
        'SELECT user_id, email_lower FROM users WHERE connection = ? AND email_lower IN (SELECT value FROM json_each(?))',
      ),
      existingUsernames: db.prepare<[string, string], { user_id: string; username_lower: string }>(
        'SELECT user_id, username_lower FROM users WHERE connection = ? AND username_lower IN (SELECT value FROM json_each(?))',
      ),
      userIdsAfter: db.prepare<[string, string, number], { user_id: string }>(
        'SELECT user_id FROM users WHERE connection = ? AND user_id > ? ORDER BY user_id LIMIT ?',
      ),
      setSetting: db.prepare(
        'INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ),
    };
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    // IMMEDIATE takes the write lock first, so two processes migrating at once serialise.
    const run = this.db.transaction(() => {
      const row = this.db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
      const current = row?.v ?? 0;
      const latest = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]?.version ?? 0;
      if (current > latest) {
        throw new ConfigError('store_schema_newer', `The store's schema (version ${current}) is newer than this Ferry understands (${latest}).`, {
          hint: 'Upgrade Ferry, or point `store:` at another database.',
        });
      }
      for (const m of SQLITE_MIGRATIONS) {
        if (m.version <= current) continue;
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
    });
    run.immediate();
    this.prepared = this.prepare();
  }

  async findById(connection: string, userId: string): Promise<StoredUser | null> {
    const row = this.s.byId.get(connection, userId);
    return row ? toUser(row) : null;
  }

  async findByEmail(connection: string, email: string): Promise<StoredUser | null> {
    const row = this.s.byEmail.get(connection, normaliseKey(email));
    return row ? toUser(row) : null;
  }

  async findByUsername(connection: string, username: string): Promise<StoredUser | null> {
    const row = this.s.byUsername.get(connection, normaliseKey(username));
    return row ? toUser(row) : null;
  }

  async getCredential(connection: string, userId: string): Promise<StoredCredential | null> {
    const row = this.s.credential.get(connection, userId);
    return row ? toCredential(row) : null;
  }

  async findForLogin(connection: string, identifier: string): Promise<{ user: StoredUser; credential: StoredCredential | null } | null> {
    const key = normaliseKey(identifier);
    // An identifier with '@' is most likely an email; try the likelier column first.
    const [first, second] = key.includes('@') ? [this.s.loginByEmail, this.s.loginByUsername] : [this.s.loginByUsername, this.s.loginByEmail];
    const row = first.get(connection, key) ?? second.get(connection, key);
    if (!row) return null;
    return { user: toUser(row), credential: joinedCredential(row) };
  }

  async createUser(input: NewUser): Promise<CreateUserResult> {
    const now = new Date().toISOString();
    const { profile } = input;
    const emailKey = profile.email === undefined ? null : normaliseKey(profile.email);
    const usernameKey = profile.username === undefined ? null : normaliseKey(profile.username);
    const tx = this.db.transaction((): CreateUserResult => {
      const info = this.s.insertUser.run({
        connection: input.connection,
        user_id: profile.user_id,
        email_lower: emailKey,
        username_lower: usernameKey,
        profile: JSON.stringify(profile),
        blocked: profile.blocked === true ? 1 : 0,
        origin: input.origin,
        now,
      });
      if (info.changes === 0) return this.conflict(input.connection, profile.user_id, emailKey, usernameKey);
      if (input.credential) {
        const c = input.credential;
        this.s.upsertCredential.run(input.connection, profile.user_id, encodeHash(c.hash), c.scheme, c.source, now);
      }
      if (input.log) this.insertLog({ connection: input.connection, userId: profile.user_id, ...input.log }, now);
      return { created: true, user: { connection: input.connection, profile, origin: input.origin, migratedAt: now, createdAt: now, updatedAt: now } };
    });
    return tx.immediate();
  }

  private conflict(connection: string, userId: string, emailKey: string | null, usernameKey: string | null): CreateUserResult {
    const byId = this.s.byId.get(connection, userId);
    if (byId) return { created: false, conflict: 'user_id', existing: toUser(byId) };
    const byEmail = emailKey === null ? undefined : this.s.byEmail.get(connection, emailKey);
    if (byEmail) return { created: false, conflict: 'email', existing: toUser(byEmail) };
    const byUsername = usernameKey === null ? undefined : this.s.byUsername.get(connection, usernameKey);
    if (byUsername) return { created: false, conflict: 'username', existing: toUser(byUsername) };
    throw new FerryError('store_conflict_unexplained', 'internal', `Insert of user '${userId}' was refused but no conflicting user was found.`);
  }

  async setCredential(
    connection: string,
    userId: string,
    credential: { hash: LegacyHash; scheme: string; source: CredentialSource },
    options: SetCredentialOptions = {},
  ): Promise<boolean> {
    const now = new Date().toISOString();
    const encoded = encodeHash(credential.hash);
    const tx = this.db.transaction((): boolean => {
      if (!this.s.byId.get(connection, userId)) return false;
      let changes: number;
      if (options.ifCurrent !== undefined) {
        changes = this.s.replaceCredentialIf.run(encoded, credential.scheme, credential.source, now, connection, userId, encodeHash(options.ifCurrent)).changes;
      } else if (options.ifAbsent === true) {
        changes = this.s.insertCredentialIfAbsent.run(connection, userId, encoded, credential.scheme, credential.source, now).changes;
      } else {
        changes = this.s.upsertCredential.run(connection, userId, encoded, credential.scheme, credential.source, now).changes;
      }
      if (changes > 0 && options.log) this.insertLog({ connection, userId, ...options.log }, now);
      return changes > 0;
    });
    return tx.immediate();
  }

  async importBatch(batch: ImportBatch): Promise<ImportBatchResult> {
    if (!this.bulkWriting) {
      // A bulk batch dirties pages all over the unique indexes (random emails). Checkpointing
      // the WAL every 1000 pages (the default) rewrites those pages again and again — about
      // half a bulk import's time. This connection checkpoints every 50000 pages (≤ ~200 MB
      // of WAL) instead, and truncates the WAL when it closes; other processes keep the default.
      this.db.pragma('wal_autocheckpoint = 50000');
      this.bulkWriting = true;
    }
    const now = new Date().toISOString();
    const { connection, runId } = batch;
    const detail = JSON.stringify({ run: runId });
    const tx = this.db.transaction((): ImportBatchResult => {
      if (batch.guard) {
        // BEGIN IMMEDIATE holds the write lock, so the value cannot change before the commit.
        const row = this.s.getSetting.get(batch.guard.key);
        batch.guard.check(row === undefined ? undefined : (JSON.parse(row.value) as JsonValue));
      }
      let created = 0;
      const conflicts: BulkConflict[] = [];
      for (const { profile, credential } of batch.users) {
        const emailKey = profile.email === undefined ? null : normaliseKey(profile.email);
        const usernameKey = profile.username === undefined ? null : normaliseKey(profile.username);
        const info = this.s.insertUser.run({
          connection,
          user_id: profile.user_id,
          email_lower: emailKey,
          username_lower: usernameKey,
          profile: JSON.stringify(profile),
          blocked: profile.blocked === true ? 1 : 0,
          origin: 'bulk',
          now,
        });
        if (info.changes === 0) {
          const found = this.conflict(connection, profile.user_id, emailKey, usernameKey);
          if (found.created) continue;
          const existingUserId = found.existing.profile.user_id;
          conflicts.push({
            userId: profile.user_id,
            ...(profile.email === undefined ? {} : { email: profile.email }),
            conflict: found.conflict,
            existingUserId,
            sameRun: this.s.loggedByRun.get(connection, existingUserId, runId) !== undefined,
          });
          continue;
        }
        created += 1;
        if (credential) this.s.upsertCredential.run(connection, profile.user_id, encodeHash(credential.hash), credential.scheme, 'bulk', now);
        this.s.insertLog.run(now, connection, 'migrated', profile.user_id, profile.email ?? null, detail);
      }
      const result = { created, conflicts };
      if (batch.checkpoint) {
        const { key, value } = batch.checkpoint(result);
        this.s.setSetting.run(key, JSON.stringify(value), now);
      }
      return result;
    });
    return tx.immediate();
  }

  async findExisting(connection: string, userIds: readonly string[], emails: readonly string[], usernames: readonly string[] = []): Promise<ExistingUsers> {
    const ids = new Set(userIds.length === 0 ? [] : this.s.existingIds.all(connection, JSON.stringify(userIds)).map((r) => r.user_id));
    const byEmail = new Map<string, string>();
    if (emails.length > 0) {
      for (const row of this.s.existingEmails.all(connection, JSON.stringify(emails.map(normaliseKey)))) byEmail.set(row.email_lower, row.user_id);
    }
    const byUsername = new Map<string, string>();
    if (usernames.length > 0) {
      for (const row of this.s.existingUsernames.all(connection, JSON.stringify(usernames.map(normaliseKey)))) byUsername.set(row.username_lower, row.user_id);
    }
    return { userIds: ids, emails: byEmail, usernames: byUsername };
  }

  async listUserIds(connection: string, after: string | undefined, limit: number): Promise<string[]> {
    return this.s.userIdsAfter.all(connection, after ?? '', limit).map((r) => r.user_id);
  }

  async updateProfile(connection: string, userId: string, profile: UserProfile): Promise<boolean> {
    const info = this.s.updateProfile.run(
      profile.email === undefined ? null : normaliseKey(profile.email),
      profile.username === undefined ? null : normaliseKey(profile.username),
      JSON.stringify(profile),
      profile.blocked === true ? 1 : 0,
      new Date().toISOString(),
      connection,
      userId,
    );
    return info.changes > 0;
  }

  async deleteUser(connection: string, userId: string): Promise<boolean> {
    const tx = this.db.transaction((): boolean => {
      const row = this.s.byId.get(connection, userId);
      if (!row) return false;
      this.s.deleteUser.run(connection, userId);
      const email = (JSON.parse(row.profile) as UserProfile).email;
      this.insertLog({ connection, userId, event: 'deleted', ...(email === undefined ? {} : { email }) }, new Date().toISOString());
      return true;
    });
    return tx.immediate();
  }

  async listUsers(options: ListUsersOptions): Promise<StoredUser[]> {
    const where = ['u.connection = @connection'];
    const params: Record<string, string | number> = { connection: options.connection, limit: options.limit ?? 50 };
    if (options.after !== undefined) {
      where.push('u.user_id > @after');
      params.after = options.after;
    }
    if (options.origin !== undefined) {
      where.push('u.origin = @origin');
      params.origin = options.origin;
    }
    if (options.search !== undefined && options.search !== '') {
      // Escape LIKE wildcards so a search for "a_b" means exactly that.
      params.search = `%${options.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(
        "(lower(u.user_id) LIKE @search ESCAPE '\\' OR u.email_lower LIKE @search ESCAPE '\\' OR u.username_lower LIKE @search ESCAPE '\\' OR lower(json_extract(u.profile, '$.name')) LIKE @search ESCAPE '\\')",
      );
    }
    const rows = this.db.prepare<Record<string, string | number>, UserRow>(
      `SELECT ${USER_COLUMNS} FROM users u WHERE ${where.join(' AND ')} ORDER BY u.user_id LIMIT @limit`,
    ).all(params);
    return rows.map(toUser);
  }

  async stats(connection: string): Promise<StoreStats> {
    const byOrigin = Object.fromEntries(USER_ORIGINS.map((o) => [o, 0])) as Record<UserOrigin, number>;
    let total = 0;
    let blocked = 0;
    for (const row of this.db
      .prepare<[string], { origin: UserOrigin; n: number; b: number }>('SELECT origin, count(*) AS n, sum(blocked) AS b FROM users WHERE connection = ? GROUP BY origin')
      .all(connection)) {
      byOrigin[row.origin] = row.n;
      total += row.n;
      blocked += row.b;
    }
    const credentialsByScheme: Record<string, number> = {};
    let withCredential = 0;
    for (const row of this.db
      .prepare<[string], { scheme: string; n: number }>('SELECT scheme, count(*) AS n FROM credentials WHERE connection = ? GROUP BY scheme ORDER BY scheme')
      .all(connection)) {
      credentialsByScheme[row.scheme] = row.n;
      withCredential += row.n;
    }
    return { total, byOrigin, withCredential, blocked, credentialsByScheme };
  }

  async appendLog(entry: MigrationLogEntry): Promise<void> {
    this.insertLog(entry, new Date().toISOString());
  }

  private insertLog(entry: MigrationLogEntry, at: string): void {
    this.s.insertLog.run(at, entry.connection, entry.event, entry.userId ?? null, entry.email ?? null, entry.detail === undefined ? null : JSON.stringify(entry.detail));
  }

  async readLog(connection: string, options: { userId?: string; event?: MigrationEvent; limit?: number } = {}): Promise<StoredLogEntry[]> {
    const where = ['connection = @connection'];
    const params: Record<string, string | number> = { connection, limit: options.limit ?? 100 };
    if (options.userId !== undefined) {
      where.push('user_id = @userId');
      params.userId = options.userId;
    }
    if (options.event !== undefined) {
      where.push('event = @event');
      params.event = options.event;
    }
    return this.db
      .prepare<Record<string, string | number>, LogRow>(`SELECT ${LOG_COLUMNS} FROM migration_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`)
      .all(params)
      .map(toLogEntry);
  }

  async getSetting(key: string): Promise<JsonValue | undefined> {
    const row = this.s.getSetting.get(key);
    return row === undefined ? undefined : (JSON.parse(row.value) as JsonValue);
  }

  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.s.setSetting.run(key, JSON.stringify(value), new Date().toISOString());
  }

  async compareAndSetSetting(key: string, expected: JsonValue | undefined, next: JsonValue | undefined): Promise<boolean> {
    const tx = this.db.transaction((): boolean => {
      const current = this.s.getSetting.get(key)?.value;
      if (current !== (expected === undefined ? undefined : JSON.stringify(expected))) return false;
      if (next === undefined) this.s.deleteSetting.run(key);
      else this.s.setSetting.run(key, JSON.stringify(next), new Date().toISOString());
      return true;
    });
    return tx.immediate();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.bulkWriting) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // Another process is reading or writing: its own checkpoints will catch up.
      }
    }
    this.db.close();
  }
}
