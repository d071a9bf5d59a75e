/**
 * Realistic legacy users, deterministic from a seed: names, a mix of hash formats,
 * JSON metadata, and a few duplicates and broken rows like every real users table has.
 */
import type { JsonObject } from '@ferry/core';
import { FAST_HASH_COSTS, LEGACY_HASH_FORMATS, legacyHash, type LegacyHashCosts, type LegacyHashFormat } from './legacy-hashes';
import { passwordFor, SeededRandom, type Seed } from './seeded-random';

/** What is wrong with a deliberately broken row. */
export type LegacyRowDefect = 'missing_email' | 'invalid_email' | 'null_password' | 'unknown_hash' | 'duplicate_email';

/** One row of the generated `users` table, with its plaintext password. */
export interface LegacyUser {
  /** 0-based position; `passwordFor(seed, index)` is the password. */
  index: number;
  /** Primary key (`index + 1`). */
  id: number;
  email: string | null;
  username: string;
  firstName: string;
  lastName: string;
  /** The plaintext password (never stored in the database). */
  password: string;
  passwordHash: string | null;
  /** Salt column, set only for raw salted digests. */
  passwordSalt: string | null;
  hashFormat: LegacyHashFormat | null;
  emailVerified: boolean;
  disabled: boolean;
  /** Goes to app_metadata. */
  metadata: JsonObject;
  /** Goes to user_metadata. */
  preferences: JsonObject;
  createdAt: Date;
  /** Set on deliberately broken rows. */
  defect?: LegacyRowDefect;
  /** For `duplicate_email` rows: the index of the user whose email this row repeats. */
  duplicateOf?: number;
}

/** Options of the generator. */
export interface LegacyUserOptions {
  /** How many users. */
  count: number;
  /** Seed (default `ferry`). */
  seed?: Seed;
  /** Relative weights of hash formats (default: all formats equally). */
  formats?: Partial<Record<LegacyHashFormat, number>>;
  /** Work factors (default {@link FAST_HASH_COSTS}). */
  costs?: Partial<LegacyHashCosts>;
  /** Share of broken rows: missing/invalid email, NULL password, unknown hash (default 0.01). */
  defectRate?: number;
  /** Share of rows repeating an earlier user's email in another case (default 0.005). */
  duplicateRate?: number;
  /** Email domain (default `example.com`). */
  emailDomain?: string;
}

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Margaret', 'Dennis', 'Barbara', 'Ken', 'Frances', 'Edsger', 'Radia', 'Tim', 'Hedy', 'Donald', 'Sophie', 'Jürgen', 'Zoë', 'Chloé', 'Mateo', 'Aiko', 'Oluwaseun', 'Priya', 'Wei', 'Fatima'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Hamilton', 'Ritchie', 'Liskov', 'Thompson', 'Allen', 'Dijkstra', 'Perlman', 'Berners-Lee', 'Lamarr', 'Knuth', 'Wilson', 'Müller', "O'Brien", 'Nakamura', 'García', 'Okafor', 'Patel', 'Zhang', 'Haddad', 'Nguyen'];
const PLANS = ['free', 'free', 'free', 'pro', 'team', 'enterprise'];
const LOCALES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'pt-BR'];
const DEFECTS: readonly LegacyRowDefect[] = ['missing_email', 'invalid_email', 'null_password', 'unknown_hash'];
const EPOCH = Date.UTC(2012, 0, 1);

interface Resolved {
  seed: Seed;
  formats: Array<[LegacyHashFormat, number]>;
  total: number;
  costs: LegacyHashCosts;
  defectRate: number;
  duplicateRate: number;
  domain: string;
}

function resolve(options: LegacyUserOptions): Resolved {
  const weights = options.formats ?? Object.fromEntries(LEGACY_HASH_FORMATS.map((f) => [f, 1]));
  const formats = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as Array<[LegacyHashFormat, number]>;
  if (formats.length === 0) throw new Error('generator: at least one hash format needs a positive weight');
  return {
    seed: options.seed ?? 'ferry',
    formats,
    total: formats.reduce((sum, [, w]) => sum + w, 0),
    costs: { ...FAST_HASH_COSTS, ...options.costs },
    defectRate: options.defectRate ?? 0.01,
    duplicateRate: options.duplicateRate ?? 0.005,
    domain: options.emailDomain ?? 'example.com',
  };
}

function pickFormat(r: Resolved, rng: SeededRandom): LegacyHashFormat {
  let x = rng.next() * r.total;
  for (const [format, weight] of r.formats) {
    x -= weight;
    if (x < 0) return format;
  }
  return (r.formats[r.formats.length - 1] as [LegacyHashFormat, number])[0];
}

function ascii(name: string): string {
  return name.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
}

/** The defect (if any) of row `i`, decided before anything else so duplicates can look back. */
function defectOf(r: Resolved, i: number): { defect?: LegacyRowDefect; duplicateOf?: number } {
  if (i === 0) return {}; // user 0 is always a clean login for tests and the demo
  const rng = new SeededRandom(r.seed, i, 'defect');
  const x = rng.next();
  if (x < r.defectRate) return { defect: rng.pick(DEFECTS) };
  if (x < r.defectRate + r.duplicateRate) {
    const j = rng.int(i);
    if (Object.keys(defectOf(r, j)).length === 0) return { defect: 'duplicate_email', duplicateOf: j };
  }
  return {};
}

function identity(r: Resolved, i: number): { firstName: string; lastName: string; email: string; username: string } {
  const rng = new SeededRandom(r.seed, i, 'identity');
  const firstName = rng.pick(FIRST);
  const lastName = rng.pick(LAST);
  const local = `${ascii(firstName)}.${ascii(lastName)}${i}`;
  return { firstName, lastName, email: `${local}@${r.domain}`, username: `${ascii(firstName)}${ascii(lastName)}${i}` };
}

async function userAt(r: Resolved, i: number): Promise<LegacyUser> {
  const rng = new SeededRandom(r.seed, i);
  const { defect, duplicateOf } = defectOf(r, i);
  const who = identity(r, i);
  let email: string | null = who.email;
  if (defect === 'missing_email') email = null;
  if (defect === 'invalid_email') email = `${who.username} at ${r.domain}`;
  if (duplicateOf !== undefined) email = identity(r, duplicateOf).email.toUpperCase();
  const password = passwordFor(r.seed, i);
  const hashFormat = defect === 'null_password' ? null : pickFormat(r, rng);
  const credential = hashFormat === null ? { hash: null, salt: null } : await legacyHash(hashFormat, password, rng, r.costs);
  const hash = defect === 'unknown_hash' ? `legacy-crc32:${rng.chars(8, '0123456789abcdef')}` : credential.hash;
  return {
    index: i,
    id: i + 1,
    email,
    username: duplicateOf === undefined ? who.username : `${who.username}_dup`,
    firstName: who.firstName,
    lastName: who.lastName,
    password,
    passwordHash: hash,
    passwordSalt: credential.salt,
    hashFormat: defect === 'unknown_hash' ? null : hashFormat,
    emailVerified: rng.next() < 0.8,
    disabled: rng.next() < 0.02,
    metadata: { plan: rng.pick(PLANS), legacy_id: `L${String(i + 1).padStart(7, '0')}`, roles: rng.next() < 0.05 ? ['admin'] : ['member'] },
    preferences: { locale: rng.pick(LOCALES), newsletter: rng.next() < 0.3 },
    createdAt: new Date(EPOCH + rng.int(12 * 365) * 86_400_000 + rng.int(86_400_000)),
    ...(defect === undefined ? {} : { defect }),
    ...(duplicateOf === undefined ? {} : { duplicateOf }),
  };
}

/** User `i` of the database `options` describes, regenerated alone. */
export function legacyUserAt(options: LegacyUserOptions, i: number): Promise<LegacyUser> {
  return userAt(resolve(options), i);
}

/**
 * Every user, in id order, in batches hashed concurrently (bcrypt runs on libuv's
 * thread pool). Memory stays constant: nothing is kept between batches.
 */
export async function* generateLegacyUsers(options: LegacyUserOptions, batchSize = 256): AsyncGenerator<LegacyUser[]> {
  const r = resolve(options);
  for (let start = 0; start < options.count; start += batchSize) {
    const end = Math.min(options.count, start + batchSize);
    const batch: Array<Promise<LegacyUser>> = [];
    for (let i = start; i < end; i++) batch.push(userAt(r, i));
    yield await Promise.all(batch);
  }
}
