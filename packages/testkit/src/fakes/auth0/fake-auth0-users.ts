/**
 * The users of each connection of the fake tenant, and what an import job does to them:
 * per-user validation, duplicates inside a file, pre-existing users (DUPLICATED_USER, or
 * an update with `upsert`), CONFLICT on ids that would have to change. A `user_id` is
 * unique across the tenant, so one held in another connection clashes too.
 */
import { randomBytes } from 'node:crypto';
import type { FakeAuth0ExistingUser, FakeAuth0JobSummary, FakeAuth0UserError } from './fake-auth0-types';

/** A user stored in a connection (a projection: no hashes are kept). */
export interface FakeAuth0StoredUser {
  /** With the `auth0|` prefix bulk import adds. */
  user_id: string;
  email: string;
  username?: string;
  email_verified: boolean;
  /** Upsertable profile fields from the last import. */
  profile: Record<string, unknown>;
  hasPassword: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UPSERTABLE = ['app_metadata', 'email_verified', 'family_name', 'given_name', 'name', 'nickname', 'picture', 'user_metadata'];
const MAX_LENGTHS: Readonly<Record<string, number>> = { name: 150, given_name: 150, family_name: 150, nickname: 350, username: 128 };
/** Auth0's wording, placeholder included, for a user repeated inside one file. */
export const DUPLICATED_IN_FILE = 'A user with this [email|username|user_id] was already provided.';

type Check = { code: string; message: string; path?: string };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value;
}

function validate(record: unknown): Check[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return [{ code: 'INVALID_TYPE', message: `Expected type object but found type ${typeName(record)}` }];
  }
  const user = record as Record<string, unknown>;
  const checks: Check[] = [];
  if (user.email === undefined) checks.push({ code: 'OBJECT_REQUIRED', message: 'Missing required property: email', path: 'email' });
  else if (typeof user.email !== 'string') checks.push({ code: 'INVALID_TYPE', message: `Expected type string but found type ${typeName(user.email)}`, path: 'email' });
  else if (!EMAIL.test(user.email)) checks.push({ code: 'FORMAT', message: `Object didn't pass validation for format email: ${user.email}`, path: 'email' });
  for (const key of ['user_id', 'username', 'name', 'given_name', 'family_name', 'nickname', 'picture', 'password_hash']) {
    const value = user[key];
    if (value !== undefined && typeof value !== 'string') {
      checks.push({ code: 'INVALID_TYPE', message: `Expected type string but found type ${typeName(value)}`, path: key });
    }
  }
  for (const [key, max] of Object.entries(MAX_LENGTHS)) {
    const value = user[key];
    if (typeof value === 'string' && value.length > max) {
      checks.push({ code: 'MAX_LENGTH', message: `String is too long (${value.length} chars), maximum ${max}`, path: key });
    }
  }
  return checks;
}

/** Copy of a user as the errors endpoint echoes it: hashes and secrets masked. */
export function redactUser(record: unknown): Record<string, unknown> {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return {};
  const copy = structuredClone(record) as Record<string, unknown>;
  if (typeof copy.password_hash === 'string') copy.password_hash = '*****';
  const custom = copy.custom_password_hash as { hash?: { value?: unknown; key?: { value?: unknown } } } | undefined;
  if (custom?.hash !== undefined) {
    if (custom.hash.value !== undefined) custom.hash.value = '*****';
    if (custom.hash.key?.value !== undefined) custom.hash.key.value = '*****';
  }
  return copy;
}

/** Result of applying one import file. */
export interface FakeImportOutcome {
  summary: FakeAuth0JobSummary;
  errors: FakeAuth0UserError[];
}

/** The users of one connection, indexed by email, user_id and username. */
export class FakeAuth0UserTable {
  private readonly byEmail = new Map<string, FakeAuth0StoredUser>();
  private readonly byId = new Map<string, FakeAuth0StoredUser>();
  private readonly byUsername = new Map<string, FakeAuth0StoredUser>();

  constructor(existing: FakeAuth0ExistingUser[] = []) {
    for (const user of existing) this.insert({ email: user.email, user_id: user.user_id, username: user.username });
  }

  /** Number of users. */
  get size(): number {
    return this.byEmail.size;
  }

  /** Every user. */
  all(): FakeAuth0StoredUser[] {
    return [...this.byEmail.values()];
  }

  /** The user with this email (case-insensitive; emails are stored in lower case). */
  findByEmail(email: string): FakeAuth0StoredUser | undefined {
    return this.byEmail.get(email.toLowerCase());
  }

  /** The user with this `user_id` (with its `auth0|` prefix). */
  findById(userId: string): FakeAuth0StoredUser | undefined {
    return this.byId.get(userId);
  }

  /**
   * Apply an import file's records. `redact` masks hashes in echoed users, as Auth0 does;
   * `elsewhere` finds a `user_id` (with its prefix) in the tenant's other connections.
   */
  import(records: unknown[], upsert: boolean, redact: boolean, elsewhere: (userId: string) => FakeAuth0StoredUser | undefined = () => undefined): FakeImportOutcome {
    const summary: FakeAuth0JobSummary = { failed: 0, updated: 0, inserted: 0, total: records.length };
    const errors: FakeAuth0UserError[] = [];
    const seen = new Set<string>();
    const fail = (record: unknown, checks: Check[]): void => {
      summary.failed++;
      errors.push({ user: redact ? redactUser(record) : structuredClone(record as Record<string, unknown>), errors: checks });
    };
    for (const record of records) {
      const invalid = validate(record);
      if (invalid.length > 0) {
        fail(record, invalid);
        continue;
      }
      const user = record as Record<string, unknown> & { email: string; user_id?: string; username?: string };
      const keys = [`e:${user.email.toLowerCase()}`, ...(user.user_id === undefined ? [] : [`i:${user.user_id}`]), ...(user.username === undefined ? [] : [`u:${user.username.toLowerCase()}`])];
      if (keys.some((key) => seen.has(key))) {
        fail(record, [{ code: 'DUPLICATED_USER', message: DUPLICATED_IN_FILE }]);
        continue;
      }
      keys.forEach((key) => seen.add(key));
      const conflict = this.conflict(user, upsert, elsewhere);
      if (conflict !== undefined) {
        fail(record, [conflict]);
        continue;
      }
      const existing = this.findByEmail(user.email);
      if (existing !== undefined) {
        for (const key of UPSERTABLE) if (user[key] !== undefined) existing.profile[key] = user[key];
        if (typeof user.email_verified === 'boolean') existing.email_verified = user.email_verified;
        summary.updated++;
      } else {
        this.insert(user);
        summary.inserted++;
      }
    }
    return { summary, errors };
  }

  /** Why this user cannot be inserted or updated, if it cannot. */
  private conflict(user: { email: string; user_id?: string; username?: string }, upsert: boolean, elsewhere: (userId: string) => FakeAuth0StoredUser | undefined): Check | undefined {
    const byEmail = this.findByEmail(user.email);
    const id = user.user_id === undefined ? undefined : `auth0|${user.user_id}`;
    const byId = id === undefined ? undefined : (this.byId.get(id) ?? elsewhere(id));
    const byUsername = user.username === undefined ? undefined : this.byUsername.get(user.username.toLowerCase());
    if (!upsert) {
      return byEmail ?? byId ?? byUsername ? { code: 'DUPLICATED_USER', message: 'The user already exists.' } : undefined;
    }
    // Upsert matches on email; ids and usernames are not upsertable.
    if (byId !== undefined && byId !== byEmail) return { code: 'CONFLICT', message: 'A user with this user_id already exists with a different email.', path: 'user_id' };
    if (byEmail !== undefined && user.user_id !== undefined && byEmail.user_id !== `auth0|${user.user_id}`) {
      return { code: 'CONFLICT', message: 'The user_id of an existing user cannot be changed.', path: 'user_id' };
    }
    if (byUsername !== undefined && byUsername !== byEmail) return { code: 'CONFLICT_USERNAME', message: 'The username is already taken.', path: 'username' };
    return undefined;
  }

  private insert(user: Record<string, unknown> & { email: string; user_id?: string | undefined; username?: string | undefined }): void {
    const profile: Record<string, unknown> = {};
    for (const key of UPSERTABLE) if (user[key] !== undefined && key !== 'email_verified') profile[key] = user[key];
    const stored: FakeAuth0StoredUser = {
      user_id: `auth0|${user.user_id ?? randomBytes(12).toString('hex')}`,
      // Auth0 keeps the emails of the users it stores in lower case.
      email: user.email.toLowerCase(),
      ...(user.username === undefined ? {} : { username: user.username }),
      email_verified: user.email_verified === true,
      profile,
      hasPassword: user.password_hash !== undefined || user.custom_password_hash !== undefined,
    };
    this.byEmail.set(stored.email.toLowerCase(), stored);
    this.byId.set(stored.user_id, stored);
    if (stored.username !== undefined) this.byUsername.set(stored.username.toLowerCase(), stored);
  }
}
