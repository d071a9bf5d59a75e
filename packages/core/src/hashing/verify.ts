/** Checking a password against any supported legacy hash. */
import type { HashCostLimits, HashVerifyResult, LegacyHash } from '../contracts/password-hash';
import { DEFAULT_HASH_COST_LIMITS } from './limits';
import { draftHash, parseHash } from './parse-hash';
import { verifyParsed, type ParsedHash } from './parsed-hash';
import { SALTED_DIGEST_DRAFT } from './salted-digest';

/**
 * Verifies `password` against `stored` in constant time. Resolves `{match: false}` for a
 * wrong password; rejects with a `DataError` (`hash_malformed`, `hash_unsupported`,
 * `hash_cost_too_high`) for a hash it cannot or will not check. `limits` bounds the work
 * a single hash may ask for (defaults: {@link DEFAULT_HASH_COST_LIMITS}).
 */
export function verify(stored: LegacyHash, password: string, limits: HashCostLimits = DEFAULT_HASH_COST_LIMITS): Promise<HashVerifyResult> {
  // Not `async`: a digest-only hash then resolves in one step (see verifyParsed).
  let parsed: ParsedHash;
  try {
    // A single digest is read into reusable memory and checked at once: no parsed object,
    // no Buffer per stored value (parsing stays exactly as strict; see SaltedDigestDraft).
    const draft = draftHash(stored, SALTED_DIGEST_DRAFT);
    if (draft) return Promise.resolve({ match: draft.matches(password), scheme: draft.scheme });
    parsed = parseHash(stored, limits);
  } catch (err) {
    return Promise.reject(err as Error);
  }
  return verifyParsed(parsed, password);
}
