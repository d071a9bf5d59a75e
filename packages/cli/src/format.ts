/**
 * Small helpers to print users and outcomes for people (the `--json` shape is the
 * command's return value).
 */
import type { StoredUser, UserProfile } from '@ferry/core';

/** One line per user: id, email, origin. */
export function userLine(user: StoredUser): string {
  const p = user.profile;
  return [p.user_id, p.email ?? '-', p.username ?? '-', user.origin, p.blocked ? 'blocked' : ''].join('  ').trimEnd();
}

/** An indented YAML-ish view of a profile for terminals. */
export function profileBlock(profile: UserProfile): string {
  return Object.entries(profile)
    .map(([k, v]) => `  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}
