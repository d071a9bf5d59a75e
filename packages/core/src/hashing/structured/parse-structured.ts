/**
 * Dispatch for structured hashes: Auth0/Ferry objects, Okta import objects, Gigya
 * password objects and Firebase scrypt objects, told apart by their `algorithm` spelling
 * and fields (documented in docs/HASHES.md).
 */
import type { HashCostLimits } from '../../contracts/password-hash';
import type { JsonObject } from '../../contracts/profile';
import { malformed } from '../errors';
import type { ParsedHash } from '../parsed-hash';
import type { SaltedDigestDraft } from '../salted-digest';
import { draftAuth0Digest, parseAuth0Custom } from './auth0-custom';
import { parseFirebaseScrypt } from './firebase-scrypt';
import { parseGigya } from './gigya';
import { OKTA_ALGORITHMS, parseOkta } from './okta';

/** Parses any supported structured hash. */
export function parseStructuredHash(obj: JsonObject, limits: HashCostLimits): ParsedHash {
  const algorithm = obj.algorithm;
  if (algorithm === 'gigya' || (algorithm === undefined && obj.hashSettings !== undefined)) return parseGigya(obj, limits);
  if (typeof algorithm !== 'string') throw malformed('structured', 'algorithm must be a string');
  if (algorithm === 'firebase-scrypt') return parseFirebaseScrypt(obj, limits);
  if (OKTA_ALGORITHMS.includes(algorithm) && typeof obj.value === 'string') return parseOkta(obj, limits);
  return parseAuth0Custom(obj, limits);
}

/**
 * Reads a structured digest into `draft` when `obj` is one (`algorithm` md4…sha512: never a
 * Gigya, Firebase or Okta spelling, so such an object always parses as Auth0's); undefined
 * for anything else.
 */
export function draftStructuredHash(obj: JsonObject, draft: SaltedDigestDraft): SaltedDigestDraft | undefined {
  return draftAuth0Digest(obj, draft);
}
