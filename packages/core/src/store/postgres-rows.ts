/**
 * Rows of the PostgreSQL store and their mapping to the store interface's types. Hashes
 * are encoded exactly as in the SQLite store, so `ferry store copy` moves them verbatim.
 */
import type { JsonValue, UserProfile } from '../contracts/profile';
import { decodeHash } from './hash-column';
import type { CredentialSource, MigrationEvent, StoredCredential, StoredLogEntry, StoredUser, UserOrigin } from './user-store';

// The one hash-column encoding both stores share (ferry store copy moves hashes verbatim).
export { encodeHash, decodeHash } from './hash-column';

/** A `users` row as selected with {@link USER_COLUMNS}. */
export interface UserRow {
  connection: string;
  user_id: string;
  profile: UserProfile;
  origin: UserOrigin;
  migrated_at: Date;
  created_at: Date;
  updated_at: Date;
}

/** A `credentials` row as selected with {@link CREDENTIAL_COLUMNS}. */
export interface CredentialRow {
  hash: string;
  scheme: string;
  source: CredentialSource;
  updated_at: Date;
}

/** The user columns every read selects (table alias `u`). */
export const USER_COLUMNS = 'u.connection, u.user_id, u.profile, u.origin, u.migrated_at, u.created_at, u.updated_at';

/** The credential columns every read selects (table alias `c`). */
export const CREDENTIAL_COLUMNS = 'c.hash, c.scheme, c.source, c.updated_at';

/** Upsert one setting (`$1` key, `$2` JSON text). */
export const SET_SETTING =
  'INSERT INTO settings (key, value, updated_at) VALUES ($1, $2::jsonb, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at';


/** A row to a {@link StoredUser}. */
export function toUser(row: UserRow): StoredUser {
  return {
    connection: row.connection,
    profile: row.profile,
    origin: row.origin,
    migratedAt: row.migrated_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A row to a {@link StoredCredential}. */
export function toCredential(row: CredentialRow): StoredCredential {
  return { hash: decodeHash(row.hash), scheme: row.scheme, source: row.source, updatedAt: row.updated_at.toISOString() };
}

export interface LogRow {
  id: string;
  at: Date;
  connection: string;
  event: MigrationEvent;
  user_id: string | null;
  email: string | null;
  detail: { [key: string]: JsonValue } | null;
}

export const LOG_COLUMNS = 'id, at, connection, event, user_id, email, detail';

export function toLogEntry(r: LogRow): StoredLogEntry {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    connection: r.connection,
    event: r.event,
    ...(r.user_id === null ? {} : { userId: r.user_id }),
    ...(r.email === null ? {} : { email: r.email }),
    ...(r.detail === null ? {} : { detail: r.detail }),
  };
}
