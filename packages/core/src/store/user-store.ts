/**
 * The user store: Ferry's new identity store. A narrow async interface so that the
 * embedded SQLite store and a PostgreSQL store can both implement it. Users live per
 * *connection* (one legacy source = one connection), as in Auth0.
 */
import type { ServiceIdentifier } from 'inversify';
import type { LegacyHash } from '../contracts/password-hash';
import type { JsonValue, UserProfile } from '../contracts/profile';

/** How a user came into the store. */
export type UserOrigin = 'login' | 'get_user' | 'bulk' | 'native';

/** All origins, in display order. */
export const USER_ORIGINS: readonly UserOrigin[] = ['login', 'get_user', 'bulk', 'native'];

/** How a credential was set. */
export type CredentialSource = 'login' | 'bulk' | 'native' | 'rehash' | 'password_change';

/** A user as stored. `profile.user_id` is the legacy id, unchanged. */
export interface StoredUser {
  connection: string;
  profile: UserProfile;
  origin: UserOrigin;
  /** ISO time the user was migrated (or created, for native users). */
  migratedAt: string;
  createdAt: string;
  updatedAt: string;
}

/** A stored credential: a hash (Ferry's argon2id, or an imported legacy hash) and its scheme. */
export interface StoredCredential {
  hash: LegacyHash;
  scheme: string;
  source: CredentialSource;
  updatedAt: string;
}

/** Events of the append-only migration log. */
export type MigrationEvent =
  | 'migrated'
  | 'credential_set'
  | 'rehashed'
  | 'password_changed'
  | 'deleted'
  | 'id_mismatch'
  | 'profile_drift'
  | 'mark_migrated_ok'
  | 'mark_migrated_failed'
  | 'mode_changed';

/** One migration-log entry. `detail` never holds secrets. */
export interface MigrationLogEntry {
  connection: string;
  event: MigrationEvent;
  userId?: string;
  email?: string;
  detail?: { [key: string]: JsonValue };
}

/** A migration-log entry as read back. */
export interface StoredLogEntry extends MigrationLogEntry {
  id: number;
  at: string;
}

/** Input for {@link UserStore.createUser}: user, credential and log entry in one transaction. */
export interface NewUser {
  connection: string;
  profile: UserProfile;
  origin: UserOrigin;
  credential?: { hash: LegacyHash; scheme: string; source: CredentialSource };
  log?: Omit<MigrationLogEntry, 'connection'>;
}

/** Result of {@link UserStore.createUser}. */
export type CreateUserResult =
  | { created: true; user: StoredUser }
  /** Another user holds this id, email or username; nothing was written. */
  | { created: false; conflict: 'user_id' | 'email' | 'username'; existing: StoredUser };

/** Conditions for {@link UserStore.setCredential}. */
export interface SetCredentialOptions {
  /** Only set it when the user has no credential yet (first migration wins). */
  ifAbsent?: boolean;
  /** Only set it when the stored hash still equals this one (compare-and-set for rehashing). */
  ifCurrent?: LegacyHash;
  /** A log entry written in the same transaction when the credential is set. */
  log?: Omit<MigrationLogEntry, 'connection' | 'userId'>;
}

/** Options for {@link UserStore.listUsers}. */
export interface ListUsersOptions {
  connection: string;
  /** Page size (default 50). */
  limit?: number;
  /** Return users whose user_id sorts after this one (keyset paging). */
  after?: string;
  /** Case-insensitive substring over user_id, email, username and name. */
  search?: string;
  origin?: UserOrigin;
}

/** Counts for `ferry status`. */
export interface StoreStats {
  total: number;
  byOrigin: Record<UserOrigin, number>;
  withCredential: number;
  blocked: number;
  /** Credentials by scheme, e.g. `{argon2id: 120, bcrypt: 40}`. */
  credentialsByScheme: Record<string, number>;
}

/** One user of a bulk batch: profile and (when the source had one) the imported hash. */
export interface BulkUser {
  profile: UserProfile;
  credential?: { hash: LegacyHash; scheme: string };
}

/** A user of a batch that was not created because the store already holds a matching user. */
export interface BulkConflict {
  userId: string;
  email?: string;
  /** Which unique key matched. */
  conflict: 'user_id' | 'email' | 'username';
  /** The user_id of the user already stored. */
  existingUserId: string;
  /** True when that user was created by this same run (a duplicate inside the source). */
  sameRun: boolean;
}

/** Result of {@link UserStore.importBatch}. */
export interface ImportBatchResult {
  created: number;
  conflicts: BulkConflict[];
}

/** Input for {@link UserStore.importBatch}. */
export interface ImportBatch {
  connection: string;
  /** The bulk run's id, logged with every user it creates (to tell replays and source duplicates apart). */
  runId: string;
  users: BulkUser[];
  /**
   * Computes the run's checkpoint from the batch's result; it is written to the settings
   * table in the same transaction, so users and checkpoint are committed together or not at all.
   * Must be synchronous and must not throw.
   */
  checkpoint?: (result: ImportBatchResult) => { key: string; value: JsonValue };
  /**
   * Checked first, inside the transaction, with setting `key`'s committed value (locked
   * against concurrent writers until the commit): `check` throws to abort the batch with
   * nothing written. Parallel bulk workers use it as a fence, so a worker that lost its
   * partition's lease cannot commit over the worker that took it over.
   */
  guard?: { key: string; check: (current: JsonValue | undefined) => void };
}

/** Which of a set of ids, emails and usernames the store already holds (see {@link UserStore.findExisting}). */
export interface ExistingUsers {
  userIds: Set<string>;
  /** Lower-cased email → the user_id holding it. */
  emails: Map<string, string>;
  /** Lower-cased username → the user_id holding it (only those asked for). */
  usernames: Map<string, string>;
}

/** The store interface. Every write of a user with credential and metadata is one transaction. */
export interface UserStore {
  /** A description safe to print (no password in URLs). */
  readonly description: string;
  /** Create or upgrade the schema (versioned, idempotent). */
  migrate(): Promise<void>;
  /** Find by user_id. */
  findById(connection: string, userId: string): Promise<StoredUser | null>;
  /** Find by email, case-insensitively. */
  findByEmail(connection: string, email: string): Promise<StoredUser | null>;
  /** Find by username, case-insensitively. */
  findByUsername(connection: string, username: string): Promise<StoredUser | null>;
  /** The user's credential, if any. */
  getCredential(connection: string, userId: string): Promise<StoredCredential | null>;
  /** Find a user and their credential in one read (the login hot path). */
  findForLogin(connection: string, identifier: string): Promise<{ user: StoredUser; credential: StoredCredential | null } | null>;
  /** Create user + credential + log entry atomically; a unique conflict writes nothing. */
  createUser(input: NewUser): Promise<CreateUserResult>;
  /** Set a user's credential; false when a condition failed or the user is gone. */
  setCredential(
    connection: string,
    userId: string,
    credential: { hash: LegacyHash; scheme: string; source: CredentialSource },
    options?: SetCredentialOptions,
  ): Promise<boolean>;
  /** Replace a user's profile (same user_id). False when the user is gone. */
  updateProfile(connection: string, userId: string, profile: UserProfile): Promise<boolean>;
  /** Delete a user and their credential; logged. False when absent. */
  deleteUser(connection: string, userId: string): Promise<boolean>;
  /**
   * Create many users (origin `bulk`, credential source `bulk`) in one transaction, skipping
   * those whose id, email or username is taken (reported in `conflicts`, nothing overwritten:
   * a credential set by a trickle login always wins over a bulk import). Logs `migrated` with
   * `{run}` per created user.
   */
  importBatch(batch: ImportBatch): Promise<ImportBatchResult>;
  /** Which of `userIds`, `emails` and `usernames` (any case) already exist, in one round trip. */
  findExisting(connection: string, userIds: readonly string[], emails: readonly string[], usernames?: readonly string[]): Promise<ExistingUsers>;
  /** user_ids in order, after `after` (keyset paging for `ferry verify`). */
  listUserIds(connection: string, after: string | undefined, limit: number): Promise<string[]>;
  /** Page through users ordered by user_id. */
  listUsers(options: ListUsersOptions): Promise<StoredUser[]>;
  /** Counts by origin and credential scheme. */
  stats(connection: string): Promise<StoreStats>;
  /** Append to the migration log. */
  appendLog(entry: MigrationLogEntry): Promise<void>;
  /** Read the migration log, newest first. */
  readLog(connection: string, options?: { userId?: string; event?: MigrationEvent; limit?: number }): Promise<StoredLogEntry[]>;
  /** A small persisted setting (e.g. the migration mode). */
  getSetting(key: string): Promise<JsonValue | undefined>;
  setSetting(key: string, value: JsonValue): Promise<void>;
  /**
   * Set `key` to `next` only if its current value equals `expected` (`undefined` = absent),
   * atomically across processes. `next` of `undefined` deletes the key. True when it was set.
   */
  compareAndSetSetting(key: string, expected: JsonValue | undefined, next: JsonValue | undefined): Promise<boolean>;
  /** Close connections. */
  close(): Promise<void>;
}

/** DI token for {@link UserStore}. */
export const UserStore: ServiceIdentifier<UserStore> = Symbol.for('@ferry/core/UserStore');

/** Normalise an email or username for unique, case-insensitive lookups. */
export function normaliseKey(value: string): string {
  return value.trim().toLowerCase();
}
