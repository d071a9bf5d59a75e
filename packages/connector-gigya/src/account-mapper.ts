/**
 * One mapping from a Gigya account to Ferry's profile, shared by login (via
 * getAccountInfo), getByEmail (via search) and both export sources, so the same user
 * always gets the same profile.
 */
import type { JsonObject, UserProfile } from '@ferry/core';
import type { GigyaAccount } from './gigya-account';

/** How `data` is split between the two metadata objects. */
export interface AccountMapperOptions {
  /** `data` keys that go to `app_metadata`; the rest go to `user_metadata`. */
  appMetadataKeys: readonly string[];
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Map `account`, or undefined when it has no UID. The email is `profile.email`, else the
 * first login email, else the first verified one; it is verified when `emails.verified`
 * lists it, or — for accounts without an `emails` object — when `isVerified` is true.
 */
export function mapAccount(account: GigyaAccount, options: AccountMapperOptions): UserProfile | undefined {
  const uid = text(account.UID);
  if (uid === undefined) return undefined;
  const profile: UserProfile = { user_id: uid };
  const verified = list(account.emails?.verified).map((e) => e.toLowerCase());
  const email = text(account.profile?.email) ?? text(list(account.loginIDs?.emails)[0]) ?? text(list(account.emails?.verified)[0]);
  if (email !== undefined) {
    profile.email = email;
    profile.email_verified = account.emails === undefined ? account.isVerified === true : verified.includes(email.toLowerCase());
  }
  const username = text(account.loginIDs?.username);
  if (username !== undefined) profile.username = username;
  const given = text(account.profile?.firstName);
  const family = text(account.profile?.lastName);
  if (given !== undefined) profile.given_name = given;
  if (family !== undefined) profile.family_name = family;
  const name = text([given, family].filter(Boolean).join(' '));
  if (name !== undefined) profile.name = name;
  const nickname = text(account.profile?.nickname);
  if (nickname !== undefined) profile.nickname = nickname;
  const picture = text(account.profile?.photoURL) ?? text(account.profile?.thumbnailURL);
  if (picture !== undefined) profile.picture = picture;
  if (account.isActive === false) profile.blocked = true;

  const appKeys = new Set(options.appMetadataKeys);
  const app: JsonObject = {};
  const user: JsonObject = {};
  const data = account.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) {
    for (const [key, value] of Object.entries(data)) (appKeys.has(key) ? app : user)[key] = value;
  }
  if (Object.keys(app).length > 0) profile.app_metadata = app;
  if (Object.keys(user).length > 0) profile.user_metadata = user;
  return profile;
}
