/**
 * The password-hashing service the engine and connectors use. Implemented in
 * `../hashing/`; bound in the core container module.
 */
import type { ServiceIdentifier } from 'inversify';
import type { HashVerifyResult, LegacyHash } from './password-hash';

/** Hashing for credentials Ferry stores and legacy hashes it verifies. */
export interface PasswordHashing {
  /** Hash a password with the current default scheme (argon2id, OWASP parameters), as a PHC string. */
  hash(password: string): Promise<string>;
  /**
   * Verify `password` against any supported hash (string or structured). Resolves
   * `{match:false}` for a wrong password; throws a `DataError` (code `hash_unsupported`
   * or `hash_malformed`, or `hash_cost_too_high`) for a hash it cannot or will not check.
   * Comparisons are constant-time.
   */
  verify(stored: LegacyHash, password: string): Promise<HashVerifyResult>;
  /** True when `stored` is not in the current default scheme and parameters. */
  needsRehash(stored: LegacyHash): boolean;
  /** The scheme name of a hash (for status counts), or throws like `verify`. */
  schemeOf(stored: LegacyHash): string;
}

/** DI token for {@link PasswordHashing}. */
export const PasswordHashing: ServiceIdentifier<PasswordHashing> = Symbol.for('@ferry/core/PasswordHashing');
