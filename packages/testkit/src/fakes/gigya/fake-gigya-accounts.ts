/**
 * Accounts of the fake Gigya site: what tests declare, the Gigya account objects the
 * fake serves, and a deterministic generator shared by the fake and the IdentitySync
 * file writer (so the live export and the file export can be compared record by record).
 */
import { createHash, pbkdf2Sync } from 'node:crypto';
import { passwordFor } from '../../legacy/seeded-random';

/** A Gigya password object. */
export interface FakeGigyaPassword {
  hash: string;
  hashSettings: { algorithm: string; rounds?: number; salt?: string; format?: string };
}

/** A state that makes `accounts.login` answer a pending or blocking code. */
export type FakeGigyaLoginState = 'pendingRegistration' | 'pendingVerification' | 'pendingPasswordChange' | 'pendingTfa' | 'locked';

/** An account as a test declares it. */
export interface FakeGigyaAccountInput {
  UID?: string;
  /** The login email (stored lower-cased in `loginIDs.emails`, as given in `profile.email`). */
  email: string;
  /** The plaintext the fake accepts on login. */
  password?: string;
  /** The stored hash served by search/IdentitySync; default pbkdf2 (1,000 rounds) of `password`. */
  passwordHash?: FakeGigyaPassword | null;
  username?: string;
  firstName?: string;
  lastName?: string;
  nickname?: string;
  photoURL?: string;
  data?: Record<string, unknown>;
  /** Whether the email is in `emails.verified` (default true). */
  emailVerified?: boolean;
  /** Default true; false answers 403041 on login and maps to `blocked`. */
  isActive?: boolean;
  loginState?: FakeGigyaLoginState;
}

/** A stored account: the Gigya object plus what only the fake knows. */
export interface FakeGigyaAccount {
  account: Record<string, unknown> & { UID: string };
  plaintext?: string;
  loginState?: FakeGigyaLoginState;
}

/** A 32-hex-digit UID derived from `seed` (Gigya UIDs are opaque ASCII strings). */
export function fakeGigyaUid(seed: string): string {
  return createHash('sha1').update(`gigya-uid:${seed}`).digest('hex').slice(0, 32);
}

/** pbkdf2 (PBKDF2-HMAC-SHA1, 20 bytes) of `password`, as Gigya stores it. */
export function gigyaPbkdf2(password: string, salt: Buffer, rounds = 1000): FakeGigyaPassword {
  return { hash: pbkdf2Sync(password, salt, rounds, 20, 'sha1').toString('base64'), hashSettings: { algorithm: 'pbkdf2', rounds, salt: salt.toString('base64') } };
}

/** Build the Gigya account object for `input`. */
export function buildFakeAccount(input: FakeGigyaAccountInput, nowMs = Date.UTC(2020, 0, 1)): FakeGigyaAccount {
  const UID = input.UID ?? fakeGigyaUid(input.email);
  const email = input.email;
  const verified = input.emailVerified ?? true;
  const profile: Record<string, unknown> = { email };
  if (input.firstName !== undefined) profile.firstName = input.firstName;
  if (input.lastName !== undefined) profile.lastName = input.lastName;
  if (input.nickname !== undefined) profile.nickname = input.nickname;
  if (input.photoURL !== undefined) profile.photoURL = input.photoURL;
  const created = new Date(nowMs).toISOString();
  const account: FakeGigyaAccount['account'] = {
    UID,
    created,
    createdTimestamp: nowMs,
    isActive: input.isActive ?? true,
    isRegistered: input.loginState !== 'pendingRegistration',
    isVerified: verified,
    lastUpdated: created,
    lastUpdatedTimestamp: nowMs,
    loginProvider: 'site',
    socialProviders: 'site',
    profile,
    data: input.data ?? {},
    emails: verified ? { verified: [email.toLowerCase()], unverified: [] } : { verified: [], unverified: [email.toLowerCase()] },
    loginIDs: { emails: [email.toLowerCase()], unverifiedEmails: verified ? [] : [email.toLowerCase()], ...(input.username === undefined ? {} : { username: input.username }) },
  };
  if (verified) Object.assign(account, { verified: created, verifiedTimestamp: nowMs });
  const hash = input.passwordHash === undefined ? (input.password === undefined ? null : gigyaPbkdf2(input.password, createHash('sha256').update(UID).digest().subarray(0, 16))) : input.passwordHash;
  if (hash !== null) account.password = { ...hash, created };
  const stored: FakeGigyaAccount = { account };
  if (input.password !== undefined) stored.plaintext = input.password;
  if (input.loginState !== undefined) stored.loginState = input.loginState;
  return stored;
}

/** Hash algorithms the generator spreads over accounts (`none`: a social account without password). */
export type GeneratedHashKind = 'pbkdf2' | 'pbkdf2_sha256' | 'sha1' | 'md5' | 'bcrypt' | 'sha512Hexa' | 'none';

/** The generator's mix, in order of `i % 7`. */
export const GENERATED_HASH_KINDS: readonly GeneratedHashKind[] = ['pbkdf2', 'pbkdf2_sha256', 'sha1', 'md5', 'bcrypt', 'sha512Hexa', 'none'];

const BCRYPT64 = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function synthetic(i: number, kind: GeneratedHashKind): FakeGigyaPassword | null {
  const bytes = (n: number, tag: string) => {
    const out = Buffer.alloc(n);
    for (let k = 0; k * 32 < n; k++) createHash('sha256').update(`${tag}:${i}:${k}`).digest().copy(out, k * 32);
    return out;
  };
  const salt = bytes(16, 'salt').toString('base64');
  switch (kind) {
    case 'pbkdf2':
      return { hash: bytes(20, 'h').toString('base64'), hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt } };
    case 'pbkdf2_sha256':
      return { hash: bytes(32, 'h').toString('base64'), hashSettings: { algorithm: 'pbkdf2_sha256', rounds: 3000, salt } };
    case 'sha1':
      return { hash: bytes(20, 'h').toString('base64'), hashSettings: { algorithm: 'sha1', salt, format: '$password$salt' } };
    case 'md5':
      return { hash: bytes(16, 'h').toString('base64'), hashSettings: { algorithm: 'md5', salt } };
    case 'bcrypt': {
      // The last salt and hash characters carry unused bits: canonical encodings keep them zero.
      const chars = Array.from(bytes(53, 'b'), (x) => BCRYPT64[x % 64] as string);
      chars[21] = 'e';
      chars[52] = 'e';
      return { hash: `$2a$10$${chars.join('')}`, hashSettings: { algorithm: 'bcrypt' } };
    }
    case 'sha512Hexa':
      return { hash: bytes(64, 'h').toString('hex'), hashSettings: { algorithm: 'sha512Hexa', salt } };
    case 'none':
      return null;
  }
}

/** The `i`th generated account: deterministic, with a realistic shape and a spread of hash algorithms. */
export function gigyaAccountAt(i: number, options: { realHashes?: boolean } = {}): FakeGigyaAccountInput & { kind: GeneratedHashKind } {
  const kind = GENERATED_HASH_KINDS[i % GENERATED_HASH_KINDS.length] as GeneratedHashKind;
  const password = passwordFor('gigya', i);
  const email = `user${i}@example.com`;
  const UID = fakeGigyaUid(email);
  const passwordHash = options.realHashes && kind === 'pbkdf2' ? gigyaPbkdf2(password, createHash('sha256').update(UID).digest().subarray(0, 16)) : synthetic(i, kind);
  return {
    kind,
    UID,
    email,
    password,
    passwordHash,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    ...(i % 5 === 0 ? { nickname: `nick${i}` } : {}),
    ...(i % 4 === 0 ? { photoURL: `https://cdn.example.com/p/${i}.jpg` } : {}),
    data: { plan: i % 3 === 0 ? 'pro' : 'free', newsletter: i % 2 === 0, terms: { accepted: true, version: 3 } },
    emailVerified: i % 10 !== 9,
    isActive: i % 50 !== 49,
  };
}
