/**
 * The shared store for several machines: PostgreSQL through a `pg` Pool, with exactly the
 * semantics of the SQLite store. Cross-process safety comes from the database itself:
 * unique indexes with `INSERT … ON CONFLICT DO NOTHING` (a user is never created twice),
 * one transaction per user + credential + log entry, conditional `UPDATE`s for
 * compare-and-set, and an advisory lock that serialises schema migrations.
 */
import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { pgModule } from '../lazy-deps';
import { ConfigError, FerryError } from '../errors';
import type { LegacyHash } from '../contracts/password-hash';
import type { JsonValue, UserProfile } from '../contracts/profile';
import { withAdvisoryXactLock } from './postgres-advisory-lock';
import { RETRYABLE_SQLSTATES, pgCode, toStoreError } from './postgres-errors';
import { POSTGRES_MIGRATIONS, POSTGRES_SCHEMA_VERSION } from './postgres-migrations';
import { importBatchInto } from './postgres-import-batch';
import { CREDENTIAL_COLUMNS, LOG_COLUMNS, SET_SETTING, USER_COLUMNS, encodeHash, toCredential, toLogEntry, toUser, type CredentialRow, type LogRow, type UserRow } from './postgres-rows';
import { parsePostgresUrl, type PostgresStoreOptions } from './postgres-url';
import type { SchemaVersion } from './store-copy';
import {
  USER_ORIGINS,
  normaliseKey,
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

/** Something that runs a query: the pool or a client inside a transaction. */
export type PgQueryable = Pick<PoolClient, 'query'>;

interface LoginRow extends UserRow {
  c_hash: string | null;
  c_scheme: string | null;
  c_source: CredentialSource | null;
  c_updated_at: Date | null;
}

/** Lock name serialising schema migrations of one database, from any number of processes. */
export const SCHEMA_LOCK = 'ferry:schema';

/** PostgreSQL implementation of {@link UserStore}. */
export class PostgresUserStore implements UserStore {
  readonly description: string;
  /** The pool; other PostgreSQL-backed parts of Ferry (bulk partitions) may share it. */
  readonly pool: Pool;
  private readonly options: PostgresStoreOptions;
  private migrated = false;

  /** Create the pool for `url` (no connection is made until the first query). */
  constructor(url: string) {
    this.options = parsePostgresUrl(url);
    this.description = this.options.description;
    const o = this.options;
    this.pool = new (pgModule().Pool)({
      connectionString: o.connectionString,
      max: o.poolSize,
      connectionTimeoutMillis: o.connectTimeoutMs,
      idleTimeoutMillis: o.idleTimeoutMs,
      ...(o.statementTimeoutMs > 0 ? { statement_timeout: o.statementTimeoutMs } : {}),
      // Tables live in `schema` when set; `public` stays on the path for extensions.
      ...(o.schema === undefined ? {} : { options: `-c search_path=${o.schema},public` }),
      application_name: 'ferry',
    });
    // An idle connection dropped by the server must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Run one statement on the pool, with errors mapped and redacted. */
  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw this.error(err);
    }
  }

  /**
   * Run `fn` in a transaction on one connection. Deadlocks and serialisation failures
   * (possible when concurrent batches touch the same keys) are retried a few times.
   */
  async transaction<T>(fn: (db: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      let client: PoolClient;
      try {
        client = await this.pool.connect();
      } catch (err) {
        throw this.error(err);
      }
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = pgCode(err);
        if (code !== undefined && RETRYABLE_SQLSTATES.has(code) && attempt < 5) {
          await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
          continue;
        }
        throw this.error(err);
      } finally {
        client.release(broken);
      }
    }
  }

  /** Map any error to a redacted {@link FerryError}. */
  error(err: unknown): FerryError {
    return toStoreError(err, this.description, this.options.secrets);
  }

  /** The schema version in the database (0 before the first migration) and the newest this Ferry knows. */
  async schemaVersion(): Promise<SchemaVersion> {
    const [present] = await this.query<{ ok: boolean }>("SELECT to_regclass('schema_migrations') IS NOT NULL AS ok");
    const rows = present?.ok === true ? await this.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations') : [];
    return { current: Number(rows[0]?.v ?? 0), latest: POSTGRES_SCHEMA_VERSION };
  }

  async migrate(): Promise<void> {
    const schema = this.options.schema;
    await this.transaction(async (db) => {
      // Waiting for another process's migration may take longer than a statement may.
      await db.query("SET LOCAL statement_timeout = '10min'");
      await withAdvisoryXactLock(db, SCHEMA_LOCK);
      if (schema !== undefined) await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)');
      const current = Number((await db.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations')).rows[0]?.v ?? 0);
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw new ConfigError('store_schema_newer', `The store's schema (version ${current}) is newer than this Ferry understands (${POSTGRES_SCHEMA_VERSION}).`, {
          hint: 'Upgrade Ferry, or point `store:` at another database.',
        });
      }
      for (const m of POSTGRES_MIGRATIONS) {
        if (m.version <= current) continue;
        await db.query(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
      }
    });
    this.migrated = true;
  }

  private ready(): void {
    if (!this.migrated) throw new FerryError('store_not_migrated', 'internal', 'The store was used before migrate() ran.');
  }

  private async one(sql: string, params: unknown[]): Promise<StoredUser | null> {
    this.ready();
    const row = (await this.query<UserRow>(sql, params))[0];
    return row ? toUser(row) : null;
  }

  async findById(connection: string, userId: string): Promise<StoredUser | null> {
    return this.one(`SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = $1 AND u.user_id = $2`, [connection, userId]);
  }

  async findByEmail(connection: string, email: string): Promise<StoredUser | null> {
    return this.one(`SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = $1 AND u.email_lower = $2`, [connection, normaliseKey(email)]);
  }

  async findByUsername(connection: string, username: string): Promise<StoredUser | null> {
    return this.one(`SELECT ${USER_COLUMNS} FROM users u WHERE u.connection = $1 AND u.username_lower = $2`, [connection, normaliseKey(username)]);
  }

  async getCredential(connection: string, userId: string): Promise<StoredCredential | null> {
    this.ready();
    const row = (await this.query<CredentialRow>(`SELECT ${CREDENTIAL_COLUMNS} FROM credentials c WHERE c.connection = $1 AND c.user_id = $2`, [connection, userId]))[0];
    return row ? toCredential(row) : null;
  }

  async findForLogin(connection: string, identifier: string): Promise<{ user: StoredUser; credential: StoredCredential | null } | null> {
    this.ready();
    const key = normaliseKey(identifier);
    // One round trip; an identifier with '@' prefers the email match, others the username match.
    const prefer = key.includes('@') ? 'u.email_lower' : 'u.username_lower';
    const row = (
      await this.query<LoginRow>(
        `SELECT ${USER_COLUMNS}, c.hash AS c_hash, c.scheme AS c_scheme, c.source AS c_source, c.updated_at AS c_updated_at
         FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
         WHERE u.connection = $1 AND (u.email_lower = $2 OR u.username_lower = $2)
         ORDER BY (${prefer} = $2) DESC LIMIT 1`,
        [connection, key],
      )
    )[0];
    if (!row) return null;
    const credential =
      row.c_hash === null || row.c_scheme === null || row.c_source === null || row.c_updated_at === null
        ? null
        : toCredential({ hash: row.c_hash, scheme: row.c_scheme, source: row.c_source, updated_at: row.c_updated_at });
    return { user: toUser(row), credential };
  }

  async createUser(input: NewUser): Promise<CreateUserResult> {
    this.ready();
    const { profile } = input;
    const emailKey = profile.email === undefined ? null : normaliseKey(profile.email);
    const usernameKey = profile.username === undefined ? null : normaliseKey(profile.username);
    // A conflicting user can vanish between the refused insert and the lookup: try again then.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.transaction(async (db): Promise<CreateUserResult | undefined> => {
        const inserted = await db.query<{ now: Date }>(
          `INSERT INTO users (connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, now(), now(), now())
           ON CONFLICT DO NOTHING RETURNING created_at AS now`,
          [input.connection, profile.user_id, emailKey, usernameKey, JSON.stringify(profile), profile.blocked === true, input.origin],
        );
        const now = inserted.rows[0]?.now;
        if (now === undefined) return this.conflict(db, input.connection, profile.user_id, emailKey, usernameKey);
        if (input.credential) {
          const c = input.credential;
          await db.query(
            `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at) VALUES ($1, $2, $3, $4, $5, now())
             ON CONFLICT (connection, user_id) DO UPDATE SET hash = excluded.hash, scheme = excluded.scheme, source = excluded.source, updated_at = excluded.updated_at`,
            [input.connection, profile.user_id, encodeHash(c.hash), c.scheme, c.source],
          );
        }
        if (input.log) await insertLog(db, { connection: input.connection, userId: profile.user_id, ...input.log });
        const at = now.toISOString();
        return { created: true, user: { connection: input.connection, profile, origin: input.origin, migratedAt: at, createdAt: at, updatedAt: at } };
      });
      if (result) return result;
    }
    throw new FerryError('store_conflict_unexplained', 'internal', `Insert of user '${profile.user_id}' was refused but no conflicting user was found.`);
  }

  private async conflict(db: PgQueryable, connection: string, userId: string, emailKey: string | null, usernameKey: string | null): Promise<CreateUserResult | undefined> {
    const rows = (
      await db.query<UserRow & { by: 'user_id' | 'email' | 'username' }>(
        `SELECT ${USER_COLUMNS}, CASE WHEN u.user_id = $2 THEN 'user_id' WHEN u.email_lower = $3 THEN 'email' ELSE 'username' END AS by
         FROM users u WHERE u.connection = $1 AND (u.user_id = $2 OR u.email_lower = $3 OR u.username_lower = $4)`,
        [connection, userId, emailKey, usernameKey],
      )
    ).rows;
    for (const by of ['user_id', 'email', 'username'] as const) {
      const row = rows.find((r) => r.by === by);
      if (row) return { created: false, conflict: by, existing: toUser(row) };
    }
    return undefined;
  }

  async setCredential(
    connection: string,
    userId: string,
    credential: { hash: LegacyHash; scheme: string; source: CredentialSource },
    options: SetCredentialOptions = {},
  ): Promise<boolean> {
    this.ready();
    const encoded = encodeHash(credential.hash);
    const values = [connection, userId, encoded, credential.scheme, credential.source];
    // Inserting for a user that is gone (or deleted meanwhile) violates the foreign key: that is a `false`.
    const insert = `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at)
                    SELECT $1, $2, $3, $4, $5, now() WHERE EXISTS (SELECT 1 FROM users WHERE connection = $1 AND user_id = $2)`;
    try {
      return await this.transaction(async (db) => {
        let changes: number;
        if (options.ifCurrent !== undefined) {
          changes = (
            await db.query(`UPDATE credentials SET hash = $3, scheme = $4, source = $5, updated_at = now() WHERE connection = $1 AND user_id = $2 AND hash = $6`, [
              ...values,
              encodeHash(options.ifCurrent),
            ])
          ).rowCount ?? 0;
        } else if (options.ifAbsent === true) {
          changes = (await db.query(`${insert} ON CONFLICT (connection, user_id) DO NOTHING`, values)).rowCount ?? 0;
        } else {
          changes = (
            await db.query(
              `${insert} ON CONFLICT (connection, user_id) DO UPDATE SET hash = excluded.hash, scheme = excluded.scheme, source = excluded.source, updated_at = excluded.updated_at`,
              values,
            )
          ).rowCount ?? 0;
        }
        if (changes > 0 && options.log) await insertLog(db, { connection, userId, ...options.log });
        return changes > 0;
      });
    } catch (err) {
      if (err instanceof FerryError && err.details?.sqlstate === '23503') return false;
      throw err;
    }
  }

  async importBatch(batch: ImportBatch): Promise<ImportBatchResult> {
    this.ready();
    return this.transaction((db) => importBatchInto(db, batch));
  }

  async findExisting(connection: string, userIds: readonly string[], emails: readonly string[], usernames: readonly string[] = []): Promise<ExistingUsers> {
    this.ready();
    const ids = new Set<string>();
    const byEmail = new Map<string, string>();
    const byUsername = new Map<string, string>();
    if (userIds.length === 0 && emails.length === 0 && usernames.length === 0) return { userIds: ids, emails: byEmail, usernames: byUsername };
    const emailKeys = emails.map(normaliseKey);
    const usernameKeys = usernames.map(normaliseKey);
    const rows = await this.query<{ user_id: string; email_lower: string | null; username_lower: string | null; by_id: boolean }>(
      `SELECT user_id, email_lower, username_lower, user_id = ANY($2::text[]) AS by_id FROM users
       WHERE connection = $1 AND (user_id = ANY($2::text[]) OR email_lower = ANY($3::text[]) OR username_lower = ANY($4::text[]))`,
      [connection, userIds, emailKeys, usernameKeys],
    );
    const wantedEmails = new Set(emailKeys);
    const wantedUsernames = new Set(usernameKeys);
    for (const row of rows) {
      if (row.by_id) ids.add(row.user_id);
      if (row.email_lower !== null && wantedEmails.has(row.email_lower)) byEmail.set(row.email_lower, row.user_id);
      if (row.username_lower !== null && wantedUsernames.has(row.username_lower)) byUsername.set(row.username_lower, row.user_id);
    }
    return { userIds: ids, emails: byEmail, usernames: byUsername };
  }

  async listUserIds(connection: string, after: string | undefined, limit: number): Promise<string[]> {
    this.ready();
    const rows = await this.query<{ user_id: string }>('SELECT user_id FROM users WHERE connection = $1 AND user_id > $2 ORDER BY user_id LIMIT $3', [connection, after ?? '', limit]);
    return rows.map((r) => r.user_id);
  }

  async updateProfile(connection: string, userId: string, profile: UserProfile): Promise<boolean> {
    this.ready();
    const rows = await this.query(
      `UPDATE users SET email_lower = $1, username_lower = $2, profile = $3::jsonb, blocked = $4, updated_at = now()
       WHERE connection = $5 AND user_id = $6 RETURNING 1`,
      [
        profile.email === undefined ? null : normaliseKey(profile.email),
        profile.username === undefined ? null : normaliseKey(profile.username),
        JSON.stringify(profile),
        profile.blocked === true,
        connection,
        userId,
      ],
    );
    return rows.length > 0;
  }

  async deleteUser(connection: string, userId: string): Promise<boolean> {
    this.ready();
    return this.transaction(async (db) => {
      const row = (await db.query<{ email: string | null }>(`DELETE FROM users WHERE connection = $1 AND user_id = $2 RETURNING profile->>'email' AS email`, [connection, userId])).rows[0];
      if (!row) return false;
      await insertLog(db, { connection, userId, event: 'deleted', ...(row.email === null ? {} : { email: row.email }) });
      return true;
    });
  }

  async listUsers(options: ListUsersOptions): Promise<StoredUser[]> {
    this.ready();
    const params: unknown[] = [options.connection];
    const where = ['u.connection = $1'];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (options.after !== undefined) where.push(`u.user_id > ${param(options.after)}`);
    if (options.origin !== undefined) where.push(`u.origin = ${param(options.origin)}`);
    if (options.search !== undefined && options.search !== '') {
      // Escape LIKE wildcards so a search for "a_b" means exactly that.
      const p = param(`%${options.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(lower(u.user_id) LIKE ${p} ESCAPE '\\' OR u.email_lower LIKE ${p} ESCAPE '\\' OR u.username_lower LIKE ${p} ESCAPE '\\' OR lower(u.profile->>'name') LIKE ${p} ESCAPE '\\')`,
      );
    }
    const limit = param(options.limit ?? 50);
    const rows = await this.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users u WHERE ${where.join(' AND ')} ORDER BY u.user_id LIMIT ${limit}`, params);
    return rows.map(toUser);
  }

  async stats(connection: string): Promise<StoreStats> {
    this.ready();
    const byOrigin = Object.fromEntries(USER_ORIGINS.map((o) => [o, 0])) as Record<UserOrigin, number>;
    let total = 0;
    let blocked = 0;
    const users = await this.query<{ origin: UserOrigin; n: number; b: number }>(
      'SELECT origin, count(*)::int AS n, (count(*) FILTER (WHERE blocked))::int AS b FROM users WHERE connection = $1 GROUP BY origin',
      [connection],
    );
    for (const row of users) {
      byOrigin[row.origin] = row.n;
      total += row.n;
      blocked += row.b;
    }
    const credentialsByScheme: Record<string, number> = {};
    let withCredential = 0;
    for (const row of await this.query<{ scheme: string; n: number }>('SELECT scheme, count(*)::int AS n FROM credentials WHERE connection = $1 GROUP BY scheme ORDER BY scheme', [connection])) {
      credentialsByScheme[row.scheme] = row.n;
      withCredential += row.n;
    }
    return { total, byOrigin, withCredential, blocked, credentialsByScheme };
  }

  async appendLog(entry: MigrationLogEntry): Promise<void> {
    this.ready();
    try {
      await insertLog(this.pool, entry);
    } catch (err) {
      throw this.error(err);
    }
  }

  async readLog(connection: string, options: { userId?: string; event?: MigrationEvent; limit?: number } = {}): Promise<StoredLogEntry[]> {
    this.ready();
    const params: unknown[] = [connection];
    const where = ['connection = $1'];
    if (options.userId !== undefined) where.push(`user_id = $${params.push(options.userId)}`);
    if (options.event !== undefined) where.push(`event = $${params.push(options.event)}`);
    const limit = `$${params.push(options.limit ?? 100)}`;
    const rows = await this.query<LogRow>(`SELECT ${LOG_COLUMNS} FROM migration_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${limit}`, params);
    return rows.map(toLogEntry);
  }

  async getSetting(key: string): Promise<JsonValue | undefined> {
    this.ready();
    const row = (await this.query<{ value: JsonValue }>('SELECT value FROM settings WHERE key = $1', [key]))[0];
    return row?.value;
  }

  async setSetting(key: string, value: JsonValue): Promise<void> {
    this.ready();
    await this.query(SET_SETTING, [key, JSON.stringify(value)]);
  }

  /**
   * Each case is one statement, atomic across processes: a conditional `UPDATE`/`DELETE`
   * re-checks its condition after waiting for a concurrent writer, and an insert of an
   * absent key loses to a concurrent one through the primary key. Values compare as JSON
   * (`jsonb` equality), so key order does not matter.
   */
  async compareAndSetSetting(key: string, expected: JsonValue | undefined, next: JsonValue | undefined): Promise<boolean> {
    this.ready();
    let rows: unknown[];
    if (expected === undefined && next === undefined) {
      rows = await this.query('SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = $1)', [key]);
    } else if (expected === undefined) {
      rows = await this.query('INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now()) ON CONFLICT (key) DO NOTHING RETURNING 1', [key, JSON.stringify(next)]);
    } else if (next === undefined) {
      rows = await this.query('DELETE FROM settings WHERE key = $1 AND value = $2::jsonb RETURNING 1', [key, JSON.stringify(expected)]);
    } else {
      rows = await this.query('UPDATE settings SET value = $3::jsonb, updated_at = now() WHERE key = $1 AND value = $2::jsonb RETURNING 1', [key, JSON.stringify(expected), JSON.stringify(next)]);
    }
    return rows.length > 0;
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

async function insertLog(db: PgQueryable, entry: MigrationLogEntry): Promise<void> {
  await db.query('INSERT INTO migration_log (at, connection, event, user_id, email, detail) VALUES (now(), $1, $2, $3, $4, $5::jsonb)', [
    entry.connection,
    entry.event,
    entry.userId ?? null,
    entry.email ?? null,
    entry.detail === undefined ? null : JSON.stringify(entry.detail),
  ]);
}
