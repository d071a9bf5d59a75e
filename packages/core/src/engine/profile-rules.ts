/**
 * Auth0's migration best practices applied to what a legacy source returns: a stable
 * string `user_id`, `metadata` meaning `app_metadata`, and drift detection between the
 * profile `login` returned and the one `getUser` returned for the same user.
 */
import { DataError } from '../errors';
import type { JsonObject, UserProfile } from '../contracts/profile';

/** Profile fields compared for drift, in report order. */
const DRIFT_FIELDS = [
  'email',
  'email_verified',
  'username',
  'given_name',
  'family_name',
  'name',
  'nickname',
  'picture',
  'blocked',
  'app_metadata',
  'user_metadata',
] as const satisfies readonly (keyof UserProfile)[];

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Check and normalise a profile from a legacy source. Throws `DataError`
 * `legacy_profile_invalid` (naming the connector and the problem) when it can't be used.
 * Fields named in `omit` are left out (the bulk pipeline takes hashes off the record this
 * way); the result is one new object with the source's field order.
 */
export function normaliseLegacyProfile(raw: UserProfile, connectorId: string, omit?: ReadonlySet<string>): UserProfile {
  if (!isPlainObject(raw)) {
    throw new DataError('legacy_profile_invalid', `Connector '${connectorId}' returned a profile that is not an object.`, {
      hint: 'Fix the connector: login and getByEmail must return an object with a string user_id.',
    });
  }
  if (typeof raw.user_id !== 'string' || raw.user_id.trim() === '') {
    throw new DataError('legacy_profile_invalid', `Connector '${connectorId}' returned a profile without a user_id.`, {
      hint: 'Every legacy profile needs a stable, non-empty string user_id (never a random one: it would duplicate users).',
    });
  }
  const profile = {} as Record<string, unknown>;
  const fields = raw as unknown as Record<string, unknown>;
  for (const key in fields) {
    if (!Object.hasOwn(fields, key) || key === 'metadata' || omit?.has(key) === true) continue;
    const value = fields[key];
    if (value !== undefined) profile[key] = value;
  }
  profile.user_id = raw.user_id.trim();
  const result = profile as unknown as UserProfile;
  if (result.email !== undefined) {
    if (typeof result.email !== 'string' || !result.email.includes('@')) {
      throw new DataError('legacy_profile_invalid', `Connector '${connectorId}' returned user '${result.user_id}' with an invalid email.`, {
        hint: 'Map the legacy email column/attribute to `email`, or leave it out.',
      });
    }
    result.email = result.email.trim();
  }
  const metadata = raw.metadata;
  if (metadata !== undefined) {
    if (!isPlainObject(metadata)) {
      throw new DataError('legacy_profile_invalid', `Connector '${connectorId}' returned a non-object metadata for '${result.user_id}'.`);
    }
    // Legacy `metadata` is app_metadata (Auth0 best practice 4); explicit app_metadata wins on clashes.
    result.app_metadata = { ...metadata, ...(result.app_metadata ?? {}) };
  }
  return result;
}

function same(a: unknown, b: unknown, field: string): boolean {
  if (field === 'email' || field === 'username') {
    return typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The profile fields that differ between two answers for the same user (names only, no values). */
export function profileDrift(before: UserProfile, after: UserProfile): string[] {
  return DRIFT_FIELDS.filter((field) => !same(before[field], after[field], field));
}
