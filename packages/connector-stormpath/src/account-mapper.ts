/**
 * One mapping from a Stormpath account to Ferry's profile, shared by login, getByEmail
 * and both export sources so the same user always gets the same profile.
 */
import type { JsonObject, UserProfile } from '@ferry/core';
import { accountIdOf, type StormpathAccount, type StormpathGroupRef } from './stormpath-account';

/** Keys Stormpath adds to every expanded customData resource; not user data. */
const CUSTOM_DATA_HOUSEKEEPING = new Set(['href', 'createdAt', 'modifiedAt']);

/** How customData is split between the two metadata objects. */
export interface AccountMapperOptions {
  /** customData keys that go to `app_metadata`; the rest go to `user_metadata`. */
  appMetadataKeys: readonly string[];
}

function nonEmpty(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function groupNames(groups: StormpathAccount['groups']): string[] | undefined {
  const list: Array<StormpathGroupRef | string> | undefined = Array.isArray(groups) ? groups : groups?.items;
  if (list === undefined) return undefined;
  const names = list.map((g) => (typeof g === 'string' ? g : g.name)).filter((n): n is string => typeof n === 'string' && n !== '');
  return names.sort();
}

/**
 * Map `account` to a profile, or undefined when it has no id. `email_verified` is true
 * only for `emailVerificationStatus: VERIFIED` on an account not held in `UNVERIFIED`
 * status: `UNKNOWN` means the directory never ran a verification workflow, which proves
 * nothing about the address.
 */
export function mapAccount(account: StormpathAccount, options: AccountMapperOptions): UserProfile | undefined {
  const userId = accountIdOf(account);
  if (userId === undefined) return undefined;
  const profile: UserProfile = { user_id: userId };
  const email = nonEmpty(account.email);
  if (email !== undefined) {
    profile.email = email;
    profile.email_verified = account.emailVerificationStatus === 'VERIFIED' && account.status !== 'UNVERIFIED';
  }
  // Stormpath copies the email into `username` when none is given; that is not a username.
  const username = nonEmpty(account.username);
  if (username !== undefined && username.toLowerCase() !== email?.toLowerCase()) profile.username = username;
  const given = nonEmpty(account.givenName);
  const family = nonEmpty(account.surname);
  if (given !== undefined) profile.given_name = given;
  if (family !== undefined) profile.family_name = family;
  const name = nonEmpty(account.fullName) ?? nonEmpty([given, nonEmpty(account.middleName), family].filter(Boolean).join(' '));
  if (name !== undefined) profile.name = name;
  if (account.status === 'DISABLED') profile.blocked = true;

  const appKeys = new Set(options.appMetadataKeys);
  const app: JsonObject = {};
  const user: JsonObject = {};
  for (const [key, value] of Object.entries(account.customData ?? {})) {
    if (CUSTOM_DATA_HOUSEKEEPING.has(key)) continue;
    (appKeys.has(key) ? app : user)[key] = value;
  }
  const groups = groupNames(account.groups);
  if (groups !== undefined && groups.length > 0) app.groups = groups;
  if (Object.keys(app).length > 0) profile.app_metadata = app;
  if (Object.keys(user).length > 0) profile.user_metadata = user;
  return profile;
}
