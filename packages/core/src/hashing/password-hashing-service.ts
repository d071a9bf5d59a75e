/** The injectable {@link PasswordHashing} implementation. */
import { hash as argon2Hash, type Algorithm } from '@node-rs/argon2';
import { injectable } from 'inversify';
import type { HashCostLimits, HashVerifyResult, LegacyHash } from '../contracts/password-hash';
import type { PasswordHashing } from '../contracts/password-hashing';
import { Argon2Hash, ARGON2_DEFAULTS } from './argon2';
import { resolveLimits } from './limits';
import { parseHash } from './parse-hash';
import { verify } from './verify';

/**
 * Hashes new passwords with argon2id at OWASP's parameters (m = 19456 KiB, t = 2, p = 1)
 * and verifies every legacy format Ferry knows, within configurable cost limits.
 */
@injectable()
export class PasswordHashingService implements PasswordHashing {
  private readonly limits: HashCostLimits;

  /** @param limits overrides for {@link DEFAULT_HASH_COST_LIMITS}. */
  constructor(limits: Partial<HashCostLimits> = {}) {
    this.limits = resolveLimits(limits);
  }

  /** An argon2id PHC string for `password`. */
  async hash(password: string): Promise<string> {
    return argon2Hash(password, {
      algorithm: 2 as Algorithm, // Argon2id (a const enum in the typings)
      memoryCost: ARGON2_DEFAULTS.memoryCost,
      timeCost: ARGON2_DEFAULTS.timeCost,
      parallelism: ARGON2_DEFAULTS.parallelism,
      outputLen: ARGON2_DEFAULTS.outputLen,
    });
  }

  /** See {@link PasswordHashing.verify}. */
  verify(stored: LegacyHash, password: string): Promise<HashVerifyResult> {
    return verify(stored, password, this.limits);
  }

  /** True unless `stored` is argon2id v19 with at least the OWASP parameters. */
  needsRehash(stored: LegacyHash): boolean {
    const parsed = parseHash(stored, this.limits);
    return !(parsed instanceof Argon2Hash && parsed.meetsDefaults());
  }

  /** See {@link PasswordHashing.schemeOf}. */
  schemeOf(stored: LegacyHash): string {
    return parseHash(stored, this.limits).scheme;
  }
}
