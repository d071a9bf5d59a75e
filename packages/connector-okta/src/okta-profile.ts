/**
 * One mapper from an Okta user (Users API shape) to Ferry's profile, used by `login`,
 * `getByEmail` and `exportUsers` alike so the three always agree.
 */
import type { JsonObject, JsonValue, UserProfile } from '@ferry/core';
import type { OktaEmailVerified } from './okta-config';

/** Okta user lifecycle states. */
export type OktaUserStatus =
  | 'STAGED'
  | 'PROVISIONED'
  | 'ACTIVE'
  | 'RECOVERY'
  | 'PASSWORD_EXPIRED'
  | 'LOCKED_OUT'
  | 'SUSPENDED'
  | 'DEPROVISIONED';

/** The fields of an Okta user the connector reads. */
export interface OktaUser {
  id: string;
  status: OktaUserStatus;
  activated?: string | null;
  profile: {
    login: string;
    email?: string;
    firstName?: string | null;
    lastName?: string | null;
    displayName?: string | null;
    nickName?: string | null;
    [attribute: string]: JsonValue | undefined;
  };
}

/** Mapping settings (a subset of the connector config). */
export interface ProfileMapping {
  usernameFromLogin: boolean;
  emailVerified: OktaEmailVerified;
  userMetadata: readonly string[];
  appMetadata: readonly string[];
}

/** Okta states in which the user cannot sign in; Auth0's `blocked`. */
const BLOCKED: ReadonlySet<OktaUserStatus> = new Set(['SUSPENDED', 'DEPROVISIONED', 'LOCKED_OUT']);

function pick(profile: OktaUser['profile'], names: readonly string[]): JsonObject | undefined {
  const out: JsonObject = {};
  for (const name of names) {
    const value = profile[name];
    if (value !== undefined && value !== null) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function emailVerified(user: OktaUser, setting: OktaEmailVerified): boolean {
  if (setting !== 'activated') return setting === 'always';
  // Okta sends activation email to the primary address: an activated user has used it.
  return user.status === 'ACTIVE' || (user.activated !== undefined && user.activated !== null);
}

/** Map an Okta user to Ferry's profile. `user_id` is Okta's immutable user id. */
export function toUserProfile(user: OktaUser, mapping: ProfileMapping): UserProfile {
  const p = user.profile;
  const name = p.displayName ?? ([p.firstName, p.lastName].filter(Boolean).join(' ') || undefined);
  const userMetadata = pick(p, mapping.userMetadata);
  const appMetadata = pick(p, mapping.appMetadata);
  return {
    user_id: user.id,
    ...(p.email ? { email: p.email, email_verified: emailVerified(user, mapping.emailVerified) } : {}),
    ...(mapping.usernameFromLogin ? { username: p.login } : {}),
    ...(p.firstName ? { given_name: p.firstName } : {}),
    ...(p.lastName ? { family_name: p.lastName } : {}),
    ...(name ? { name } : {}),
    ...(p.nickName ? { nickname: p.nickName } : {}),
    blocked: BLOCKED.has(user.status),
    ...(userMetadata ? { user_metadata: userMetadata } : {}),
    ...(appMetadata ? { app_metadata: appMetadata } : {}),
  };
}
