/**
 * The account resource as Stormpath's API returns it and as its export tools wrote it.
 * Every field is optional: exports from different tools and eras leave different gaps.
 */
import type { JsonObject, JsonValue } from '@ferry/core';

/** A group as an expanded collection item or an export entry. */
export interface StormpathGroupRef {
  href?: string;
  name?: string;
}

/** One Stormpath account (API resource or export file). */
export interface StormpathAccount {
  href?: string;
  /** Present in export files; the API only has `href`. */
  id?: string;
  username?: string;
  email?: string;
  givenName?: string;
  middleName?: string | null;
  surname?: string;
  fullName?: string;
  status?: 'ENABLED' | 'DISABLED' | 'UNVERIFIED' | string;
  emailVerificationStatus?: 'UNKNOWN' | 'VERIFIED' | 'UNVERIFIED' | string;
  /** `{href}` when not expanded; the keys plus `href`, `createdAt`, `modifiedAt` when expanded. */
  customData?: JsonObject;
  /** A `{href}` link, an expanded collection `{items}`, or (exports) an array. */
  groups?: { href?: string; items?: StormpathGroupRef[] } | Array<StormpathGroupRef | string>;
  /** Support exports only: the modular-crypt password hash. */
  password?: string | null;
  [key: string]: JsonValue | undefined | StormpathAccount['groups'];
}

/** A collection resource page. */
export interface StormpathCollection<T> {
  href?: string;
  offset: number;
  limit: number;
  size?: number;
  items: T[];
}

/** The account id: `id` when the export has it, else the last path segment of `href`. */
export function accountIdOf(account: StormpathAccount): string | undefined {
  if (typeof account.id === 'string' && account.id !== '') return account.id;
  const last = account.href?.replace(/\/+$/, '').split('/').pop();
  return last === undefined || last === '' ? undefined : last;
}
