/** Entry point from a {@link LegacyHash} (string or structured object) to a parsed hash. */
import type { HashCostLimits, LegacyHash } from '../contracts/password-hash';
import type { JsonObject } from '../contracts/profile';
import { unsupported } from './errors';
import { DEFAULT_HASH_COST_LIMITS } from './limits';
import type { ParsedHash } from './parsed-hash';
import { draftStringHash, parseStringHash } from './registry';
import type { SaltedDigestDraft } from './salted-digest';
import { draftStructuredHash, parseStructuredHash } from './structured/parse-structured';

/**
 * Parses and validates a legacy hash, checking costs against `limits`. Throws a
 * `DataError` with code `hash_malformed`, `hash_unsupported` or `hash_cost_too_high`.
 */
export function parseHash(stored: LegacyHash | unknown, limits: HashCostLimits = DEFAULT_HASH_COST_LIMITS): ParsedHash {
  if (typeof stored === 'string') return parseStringHash(stored, limits);
  if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) return parseStructuredHash(stored as JsonObject, limits);
  throw unsupported(`a ${stored === null ? 'null' : Array.isArray(stored) ? 'array' : typeof stored} value`, 'A hash is a string or a structured object with an "algorithm" (see docs/HASHES.md).');
}

/**
 * Reads a single-digest hash into `draft` (see {@link SaltedDigestDraft}) with the same
 * checks and errors as {@link parseHash}; undefined when the hash is of another kind, which
 * {@link parseHash} then handles.
 */
export function draftHash(stored: LegacyHash | unknown, draft: SaltedDigestDraft): SaltedDigestDraft | undefined {
  if (typeof stored === 'string') return draftStringHash(stored, draft);
  if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) return draftStructuredHash(stored as JsonObject, draft);
  return undefined;
}
