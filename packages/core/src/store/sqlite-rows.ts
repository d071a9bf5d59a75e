/**
 * Rows of the SQLite store and how they decode: shared by the store and by the read-only
 * reader `ferry store copy` uses, so both read the file the same way.
 */
import type { JsonValue, UserProfile } from '../contracts/profile';
import { decodeHash } from './hash-column';
import type { CredentialSource, MigrationEvent, StoredCredential, StoredLogEntry, StoredUser, UserOrigin } from './user-store';

// The one hash-column encoding both stores share (ferry store copy moves hashes verbatim).
export { encodeHash, decodeHash } from './hash-column';

export interface UserRow {
  connection: string;
  user_id: string;
  profile: string;
  origin: UserOrigin;
  migrated_at: string;
  created_at: string;
  updated_at: string;
}

export interface CredentialRow {
  hash: string;
  scheme: string;
  source: CredentialSource;
  updated_at: string;
}

/** A user row joined with its (possibly absent) credential. */
export interface UserWithCredentialRow extends UserRow {
  c_hash: string | null;
  c_scheme: string | null;
  c_source: CredentialSource | null;
  c_updated_at: string | null;
}

export interface LogRow {
  id: number;
  at: string;
  connection: string;
  event: MigrationEvent;
  user_id: string | null;
  email: string | null;
  detail: string | null;
}

export const USER_COLUMNS = 'u.connection, u.user_id, u.profile, u.origin, u.migrated_at, u.created_at, u.updated_at';

/** The credential columns of a {@link UserWithCredentialRow} (`credentials c` joined). */
export const JOINED_CREDENTIAL_COLUMNS = 'c.hash AS c_hash, c.scheme AS c_scheme, c.source AS c_source, c.updated_at AS c_updated_at';

export const LOG_COLUMNS = 'id, at, connection, event, user_id, email, detail';


export function toUser(row: UserRow): StoredUser {
  return {
    connection: row.connection,
    profile: JSON.parse(row.profile) as UserProfile,
    origin: row.origin,
    migratedAt: row.migrated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toCredential(row: CredentialRow): StoredCredential {
  return { hash: decodeHash(row.hash), scheme: row.scheme, source: row.source, updatedAt: row.updated_at };
}

/** The credential of a joined row, or null when the user has none. */
export function joinedCredential(row: UserWithCredentialRow): StoredCredential | null {
  return row.c_hash === null || row.c_scheme === null || row.c_source === null || row.c_updated_at === null
    ? null
    : toCredential({ hash: row.c_hash, scheme: row.c_scheme, source: row.c_source, updated_at: row.c_updated_at });
}

export function toLogEntry(r: LogRow): StoredLogEntry {
  return {
    id: r.id,
    at: r.at,
    connection: r.connection,
    event: r.event,
    ...(r.user_id === null ? {} : { userId: r.user_id }),
    ...(r.email === null ? {} : { email: r.email }),
    ...(r.detail === null ? {} : { detail: JSON.parse(r.detail) as { [key: string]: JsonValue } }),
  };
}
