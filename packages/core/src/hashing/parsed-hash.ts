/**
 * What every family parser produces: a checked, ready-to-run description of one stored
 * hash. Parsing does all validation and cost checks up front, so `verify` only computes.
 */
import type { Auth0CustomPasswordHash } from '../contracts/profile';
import type { HashCostLimits } from '../contracts/password-hash';

/** How a hash moves to Auth0 (see {@link toAuth0}). */
export type Auth0Conversion =
  /** Auth0's native `password_hash` field (bcrypt `$2a$`/`$2b$`, cost 10). */
  | { password_hash: string }
  /** Auth0's `custom_password_hash` object. */
  | { custom_password_hash: Auth0CustomPasswordHash }
  /** Auth0 cannot verify this scheme; Ferry verifies it itself, or the user migrates by trickle login. */
  | { unsupported: true; scheme: string; reason: string };

/** One parsed, validated legacy hash. */
export interface ParsedHash {
  /** Scheme name, e.g. `bcrypt`, `django-pbkdf2-sha256`, `ldap-ssha`. */
  readonly scheme: string;
  /** Checks a password; resolves false for a wrong one. Constant-time comparison. */
  verify(password: string): Promise<boolean>;
  /** The Auth0 import form of this hash. */
  toAuth0(): Auth0Conversion;
}

/** A family that recognises self-describing strings. */
export interface StringHashFamily {
  /** True when `hash` is in this family's syntax (by prefix; not yet validated). */
  claims(hash: string): boolean;
  /** Validates and parses; throws `hash_malformed` / `hash_cost_too_high` / `hash_unsupported`. */
  parse(hash: string, limits: HashCostLimits): ParsedHash;
}

/** The "Auth0 cannot verify this" result, worded the same way everywhere. */
export function auth0Unsupported(scheme: string, why: string): Auth0Conversion {
  return {
    unsupported: true,
    scheme,
    reason: `Auth0 cannot verify ${scheme} (${why}): Ferry verifies it itself, or the user migrates by trickle login.`,
  };
}
