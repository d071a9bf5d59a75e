/**
 * The PostgreSQL store as both ends of `ferry store copy`: dumps in key order, and
 * restores with `INSERT … ON CONFLICT DO NOTHING` so that re-runs and merges never
 * overwrite what the target holds. Timestamps are kept as they were.
 */
import type { JsonValue } from '../contracts/profile';
import { PostgresUserStore } from './postgres-user-store';
import { CREDENTIAL_COLUMNS, LOG_COLUMNS, SET_SETTING, USER_COLUMNS, encodeHash, toCredential, toLogEntry, toUser, type CredentialRow, type LogRow, type UserRow } from './postgres-rows';
import {
  COPY_CHECKPOINT_PREFIX,
  type DumpedSetting,
  type DumpedUser,
  type RestoredUsers,
  type StoreCopySource,
  type StoreCopyTarget,
  type StoreCounts,
  type UserKey,
} from './store-copy';
import { normaliseKey, type StoredLogEntry } from './user-store';

type PrefixedCredential = { [K in keyof CredentialRow as `c_${K}`]: CredentialRow[K] | null };

/** {@link PostgresUserStore} with the dump and restore operations of `ferry store copy`. */
export class PostgresCopyStore extends PostgresUserStore implements StoreCopySource, StoreCopyTarget {
  async counts(): Promise<StoreCounts> {
    const [row] = await this.query<StoreCounts>(
      `SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM credentials)::int AS credentials,
              (SELECT count(*) FROM migration_log)::int AS log,
              (SELECT count(*) FROM settings WHERE left(key, $1) <> $2)::int AS settings`,
      [COPY_CHECKPOINT_PREFIX.length, COPY_CHECKPOINT_PREFIX],
    );
    return row ?? { users: 0, credentials: 0, log: 0, settings: 0 };
  }

  async dumpUsers(after: UserKey | undefined, limit: number): Promise<DumpedUser[]> {
    const credentialColumns = CREDENTIAL_COLUMNS.split(', ').map((c) => `${c} AS c_${c.slice(2)}`).join(', ');
    const rows = await this.query<UserRow & PrefixedCredential>(
      `SELECT ${USER_COLUMNS}, ${credentialColumns}
       FROM users u LEFT JOIN credentials c ON c.connection = u.connection AND c.user_id = u.user_id
       WHERE (u.connection, u.user_id) > ($1, $2) ORDER BY u.connection, u.user_id LIMIT $3`,
      [after?.connection ?? '', after?.userId ?? '', limit],
    );
    return rows.map((r) => ({
      user: toUser(r),
      credential:
        r.c_hash === null || r.c_scheme === null || r.c_source === null || r.c_updated_at === null
          ? null
          : toCredential({ hash: r.c_hash, scheme: r.c_scheme, source: r.c_source, updated_at: r.c_updated_at }),
    }));
  }

  async dumpLog(afterId: number, limit: number): Promise<StoredLogEntry[]> {
    const rows = await this.query<LogRow>(`SELECT ${LOG_COLUMNS} FROM migration_log WHERE id > $1 ORDER BY id LIMIT $2`, [afterId, limit]);
    return rows.map(toLogEntry);
  }

  async dumpSettings(afterKey: string | undefined, limit: number): Promise<DumpedSetting[]> {
    const rows = await this.query<{ key: string; value: JsonValue; updated_at: Date }>(
      'SELECT key, value, updated_at FROM settings WHERE key > $1 AND left(key, $2) <> $3 ORDER BY key LIMIT $4',
      [afterKey ?? '', COPY_CHECKPOINT_PREFIX.length, COPY_CHECKPOINT_PREFIX, limit],
    );
    return rows.map((r) => ({ key: r.key, value: r.value, updatedAt: r.updated_at.toISOString() }));
  }

  async restoreUsers(users: readonly DumpedUser[]): Promise<RestoredUsers> {
    if (users.length === 0) return { users: 0, credentials: 0, present: 0, conflicts: [] };
    return this.transaction(async (db) => {
      const col = <T>(f: (d: DumpedUser) => T): T[] => users.map(f);
      const inserted = await db.query<{ connection: string; user_id: string }>(
        `INSERT INTO users (connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
         SELECT t.connection, t.user_id, t.email_lower, t.username_lower, t.profile::jsonb, t.blocked, t.origin, t.migrated_at, t.created_at, t.updated_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
           AS t(connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
         ON CONFLICT DO NOTHING RETURNING connection, user_id`,
        [
          col((d) => d.user.connection),
          col((d) => d.user.profile.user_id),
          col((d) => (d.user.profile.email === undefined ? null : normaliseKey(d.user.profile.email))),
          col((d) => (d.user.profile.username === undefined ? null : normaliseKey(d.user.profile.username))),
          col((d) => JSON.stringify(d.user.profile)),
          col((d) => d.user.profile.blocked === true),
          col((d) => d.user.origin),
          col((d) => d.user.migratedAt),
          col((d) => d.user.createdAt),
          col((d) => d.user.updatedAt),
        ],
      );
      const key = (connection: string, userId: string) => JSON.stringify([connection, userId]);
      const written = new Set(inserted.rows.map((r) => key(r.connection, r.user_id)));
      const refused = users.filter((d) => !written.has(key(d.user.connection, d.user.profile.user_id)));
      const present = new Set<string>();
      if (refused.length > 0) {
        const rows = await db.query<{ connection: string; user_id: string }>(
          'SELECT u.connection, u.user_id FROM users u JOIN unnest($1::text[], $2::text[]) AS t(connection, user_id) ON u.connection = t.connection AND u.user_id = t.user_id',
          [refused.map((d) => d.user.connection), refused.map((d) => d.user.profile.user_id)],
        );
        for (const r of rows.rows) present.add(key(r.connection, r.user_id));
      }
      // Credentials of users the target now holds under the same id; one it already has wins.
      const withCredential = users.filter((d) => d.credential !== null);
      const credentials = await db.query(
        `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at)
         SELECT t.connection, t.user_id, t.hash, t.scheme, t.source, t.updated_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[]) AS t(connection, user_id, hash, scheme, source, updated_at)
         WHERE EXISTS (SELECT 1 FROM users u WHERE u.connection = t.connection AND u.user_id = t.user_id)
         ON CONFLICT (connection, user_id) DO NOTHING`,
        [
          withCredential.map((d) => d.user.connection),
          withCredential.map((d) => d.user.profile.user_id),
          withCredential.map((d) => encodeHash(d.credential!.hash)),
          withCredential.map((d) => d.credential!.scheme),
          withCredential.map((d) => d.credential!.source),
          withCredential.map((d) => d.credential!.updatedAt),
        ],
      );
      const others = refused.filter((d) => !present.has(key(d.user.connection, d.user.profile.user_id)));
      const emailHeld = new Set<string>();
      if (others.length > 0) {
        const rows = await db.query<{ connection: string; email_lower: string }>(
          'SELECT u.connection, u.email_lower FROM users u JOIN unnest($1::text[], $2::text[]) AS t(connection, email_lower) ON u.connection = t.connection AND u.email_lower = t.email_lower',
          [others.map((d) => d.user.connection), others.map((d) => (d.user.profile.email === undefined ? null : normaliseKey(d.user.profile.email)))],
        );
        for (const r of rows.rows) emailHeld.add(key(r.connection, r.email_lower));
      }
      const conflicts = others.map((d) => ({
        connection: d.user.connection,
        userId: d.user.profile.user_id,
        conflict: d.user.profile.email !== undefined && emailHeld.has(key(d.user.connection, normaliseKey(d.user.profile.email))) ? ('email' as const) : ('username' as const),
      }));
      return { users: written.size, credentials: credentials.rowCount ?? 0, present: present.size, conflicts };
    });
  }

  async restoreLog(entries: readonly StoredLogEntry[], checkpoint: { key: string; value: JsonValue }): Promise<number> {
    return this.transaction(async (db) => {
      const r = await db.query(
        `INSERT INTO migration_log (at, connection, event, user_id, email, detail)
         SELECT t.at, t.connection, t.event, t.user_id, t.email, t.detail::jsonb
         FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(at, connection, event, user_id, email, detail, ord)
         ORDER BY t.ord`,
        [
          entries.map((e) => e.at),
          entries.map((e) => e.connection),
          entries.map((e) => e.event),
          entries.map((e) => e.userId ?? null),
          entries.map((e) => e.email ?? null),
          entries.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail))),
        ],
      );
      await db.query(SET_SETTING, [checkpoint.key, JSON.stringify(checkpoint.value)]);
      return r.rowCount ?? 0;
    });
  }

  async restoreSettings(settings: readonly DumpedSetting[]): Promise<number> {
    const rows = await this.query(
      `INSERT INTO settings (key, value, updated_at)
       SELECT t.key, t.value::jsonb, t.updated_at FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS t(key, value, updated_at)
       ON CONFLICT (key) DO NOTHING RETURNING 1`,
      [settings.map((s) => s.key), settings.map((s) => JSON.stringify(s.value)), settings.map((s) => s.updatedAt)],
    );
    return rows.length;
  }
}
