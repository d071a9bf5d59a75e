/**
 * The three ways a stored hash can be refused. Messages name the scheme and what is
 * wrong, never the hash or the password, so they are safe to log and show.
 */
import { DataError } from '../errors';

/** Codes a hashing failure can carry. */
export type HashErrorCode = 'hash_malformed' | 'hash_unsupported' | 'hash_cost_too_high';

/** The stored value claims a format but breaks its rules (length, alphabet, padding…). */
export function malformed(scheme: string, what: string): DataError {
  return new DataError('hash_malformed', `Malformed ${scheme} hash: ${what}.`, {
    hint: 'Check that the stored value was exported whole and unmodified (no trimming, re-encoding or truncation); if the format is not what Ferry guessed, declare a structured hash (see docs/HASHES.md).',
    details: { scheme },
  });
}

/** Ferry does not know, or will not check, this format. */
export function unsupported(what: string, hint?: string): DataError {
  return new DataError('hash_unsupported', `Unsupported password hash: ${what}.`, {
    hint:
      hint ??
      'Declare the hash as a structured object (algorithm, salt, encoding; see docs/HASHES.md), or let these users migrate by trickle login against the legacy system.',
  });
}

/** A cost parameter is above the configured limit (a hostile or absurd hash). */
export function costTooHigh(scheme: string, parameter: string, value: number, limit: number, setting: string): DataError {
  return new DataError('hash_cost_too_high', `The ${scheme} hash asks for ${parameter} ${value}, above the limit of ${limit} (HashCostLimits.${setting}).`, {
    hint: `If these hashes are genuine, raise the limit: in ferry.yaml, hashing: { limits: { ${setting}: ${value} } } (in code, new PasswordHashingService({ ${setting}: ${value} })); otherwise treat the record as corrupt or hostile.`,
    details: { scheme, parameter, value, limit, setting },
  });
}
