/**
 * How Ferry names a stored password hash. A self-describing string (`$2b$…`,
 * `pbkdf2_sha256$…`, `{SSHA}…`) stands for itself; formats whose parameters live
 * outside the string use a structured object (see the hashing module's docs for the
 * documented JSON shape, a superset of Auth0's `custom_password_hash`).
 */
import type { JsonObject } from './profile';

/** A legacy hash: a self-describing string, or a structured object with an `algorithm`. */
export type LegacyHash = string | (JsonObject & { algorithm: string });

/** Cost bounds that keep a hostile hash from stalling the process. */
export interface HashCostLimits {
  /** Highest bcrypt cost accepted (default 16). */
  maxBcryptCost: number;
  /** Highest scrypt N accepted (default 2^20). */
  maxScryptN: number;
  /** Highest scrypt memory (128·N·r·p bytes) accepted (default 256 MiB). */
  maxScryptMemoryBytes: number;
  /** Highest PBKDF2 / crypt(3) / phpass iteration count accepted (default 10,000,000). */
  maxIterations: number;
  /** Highest argon2 memory in KiB (default 1 GiB) and time cost (default 64). */
  maxArgon2MemoryKiB: number;
  maxArgon2TimeCost: number;
}

/** The result of checking a password against a hash. */
export interface HashVerifyResult {
  /** Whether the password matched. */
  match: boolean;
  /** The identified scheme, e.g. `bcrypt`, `django-pbkdf2-sha256`, `ldap-ssha`. */
  scheme: string;
}
