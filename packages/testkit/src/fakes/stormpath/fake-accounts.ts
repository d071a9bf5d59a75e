/**
 * The fake Stormpath's account records and how it renders them as API resources
 * (links, `expand=customData,groups`), following the documented account resource.
 */
import type { JsonObject, JsonValue } from '@ferry/core';

/** Why a login with the right password is still refused (7103, 7105–7107). */
export type FakeLoginBlock = 'locked' | 'group_disabled' | 'directory_disabled' | 'organization_disabled';

/** An account to seed the fake with. Only `email` and `password` are required. */
export interface FakeStormpathAccountInput {
  id?: string;
  email: string;
  password: string;
  username?: string;
  givenName?: string;
  middleName?: string;
  surname?: string;
  status?: 'ENABLED' | 'DISABLED' | 'UNVERIFIED';
  emailVerificationStatus?: 'UNKNOWN' | 'VERIFIED' | 'UNVERIFIED';
  customData?: JsonObject;
  groups?: string[];
  /** Directory the account lives in (default `dir1`); emails are unique per directory only. */
  directoryId?: string;
  loginBlock?: FakeLoginBlock;
}

/** A stored account. */
export interface FakeAccount extends Required<Omit<FakeStormpathAccountInput, 'middleName' | 'loginBlock'>> {
  middleName: string | null;
  loginBlock: FakeLoginBlock | undefined;
  createdAt: string;
}

/** Attributes `GET …/accounts?attr=value` may filter on. */
export const SEARCHABLE = ['email', 'username', 'givenName', 'middleName', 'surname', 'status', 'emailVerificationStatus'] as const;

let counter = 0;

/** Fill the defaults of an input account. */
export function toFakeAccount(input: FakeStormpathAccountInput): FakeAccount {
  counter += 1;
  const local = input.email.split('@')[0] ?? 'user';
  return {
    id: input.id ?? `acct${counter.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 8)}`,
    email: input.email,
    password: input.password,
    username: input.username ?? input.email,
    givenName: input.givenName ?? local,
    middleName: input.middleName ?? null,
    surname: input.surname ?? 'Example',
    status: input.status ?? 'ENABLED',
    emailVerificationStatus: input.emailVerificationStatus ?? 'VERIFIED',
    customData: input.customData ?? {},
    groups: input.groups ?? [],
    directoryId: input.directoryId ?? 'dir1',
    loginBlock: input.loginBlock,
    createdAt: new Date(Date.UTC(2016, 0, 1) + counter * 1000).toISOString(),
  };
}

/** Parse `expand=customData,groups(offset:0,limit:100)` into the expanded names. */
export function parseExpand(expand: string | null): Set<string> {
  const names = new Set<string>();
  for (const part of (expand ?? '').split(/,(?![^(]*\))/)) {
    const name = part.split('(')[0]?.trim();
    if (name) names.add(name);
  }
  return names;
}

/** The account resource as the API returns it. */
export function renderAccount(base: string, a: FakeAccount, expand: Set<string>): JsonObject {
  const href = `${base}/accounts/${a.id}`;
  const customData: JsonObject = expand.has('customData') ? { href: `${href}/customData`, createdAt: a.createdAt, modifiedAt: a.createdAt, ...a.customData } : { href: `${href}/customData` };
  const groupItems: JsonValue[] = a.groups.map((name) => ({ href: `${base}/groups/${encodeURIComponent(name)}`, name, status: 'ENABLED' }));
  const groups: JsonObject = expand.has('groups') ? { href: `${href}/groups`, offset: 0, limit: 25, size: groupItems.length, items: groupItems } : { href: `${href}/groups` };
  return {
    href,
    username: a.username,
    email: a.email,
    givenName: a.givenName,
    middleName: a.middleName,
    surname: a.surname,
    fullName: [a.givenName, a.middleName, a.surname].filter(Boolean).join(' '),
    status: a.status,
    createdAt: a.createdAt,
    modifiedAt: a.createdAt,
    passwordModifiedAt: a.createdAt,
    emailVerificationStatus: a.emailVerificationStatus,
    customData,
    groups,
    directory: { href: `${base}/directories/${a.directoryId}` },
    tenant: { href: `${base}/tenants/fake` },
  };
}

/** Case-insensitive attribute match with Stormpath's `*` wildcards (`*foo`, `foo*`, `*foo*`). */
export function attributeMatches(value: string | null, pattern: string): boolean {
  if (value === null) return false;
  const escaped = pattern.toLowerCase().split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value.toLowerCase());
}
