/**
 * How Ferry names a stored password hash. A self-describing string (`$2b$…`,
 * `pbkdf2_sha256$…`, `{SSHA}…`) stands for itself; formats whose parameters live
 * outside the string use a structured object (see the hashing module's docs for the
 * documented JSON shape, a superset of Auth0's `custom_password_hash`).
 */
import type { JsonObject } from './profile';

/** A legacy hash: a self-describing string, or a structured object with an `algorithm`. */
export type LegacyHash = string | (JsonObject & { algorithm: string });

/**
 * Cost bounds that keep a hostile hash from stalling the process. Every parser checks a
 * hash's cost parameters against these before computing anything and refuses one above
 * them with `hash_cost_too_high` (the error names the limit to raise). Override them with
 * `new PasswordHashingService({ maxCryptRounds: 2_000_000 })`.
 */
export interface HashCostLimits {
  /** Highest bcrypt cost accepted (default 16). */
  maxBcryptCost: number;
  /** Highest scrypt N accepted (default 2^20). */
  maxScryptN: number;
  /** Highest scrypt memory (128·N·r·p bytes) accepted (default 256 MiB). */
  maxScryptMemoryBytes: number;
  /**
   * Highest PBKDF2 iteration count accepted (default 10,000,000). PBKDF2 runs in native
   * code on libuv's thread pool, so a high count costs a pool thread, not the event loop.
   */
  maxIterations: number;
  /**
   * Highest round count of the digest loops Ferry drives itself (default 1,000,000):
   * sha256/sha512-crypt `rounds=`, phpass / Drupal 7 `2^count`, Stormpath 2 iterations.
   * Each round is a separate digest call from JavaScript (about 1–2 µs), so 1,000,000
   * sha512-crypt rounds cost about 2 s of CPU; the loop yields to the event loop between
   * slices so other requests keep being served. The default admits passlib's defaults
   * (sha256-crypt 535,000, sha512-crypt 656,000 rounds) and phpass/Drupal up to 2^19;
   * glibc itself accepts up to 999,999,999 rounds, which would take over half an hour.
   */
  maxCryptRounds: number;
  /** Highest argon2 memory in KiB (default 1 GiB). */
  maxArgon2MemoryKiB: number;
  /** Highest argon2 time cost (default 64). */
  maxArgon2TimeCost: number;
}

/** The result of checking a password against a hash. */
export interface HashVerifyResult {
  /** Whether the password matched. */
  match: boolean;
  /** The identified scheme, e.g. `bcrypt`, `django-pbkdf2-sha256`, `ldap-ssha`. */
  scheme: string;
}
