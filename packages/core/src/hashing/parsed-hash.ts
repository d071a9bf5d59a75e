/**
 * What every family parser produces: a checked, ready-to-run description of one stored
 * hash. Parsing does all validation and cost checks up front, so `verify` only computes.
 */
import type { Auth0CustomPasswordHash } from '../contracts/profile';
import type { HashCostLimits, HashVerifyResult } from '../contracts/password-hash';
import type { SaltedDigestDraft } from './salted-digest';

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
  /**
   * The same check, synchronously, offered only by hashes that cost a digest or two
   * (microseconds): `verify()` calls it directly and saves a promise hop per check.
   * Anything heavier (key stretching, crypt rounds) stays asynchronous.
   */
  verifySync?(password: string): boolean;
  /** The Auth0 import form of this hash. */
  toAuth0(): Auth0Conversion;
}

/** A family that recognises self-describing strings. */
export interface StringHashFamily {
  /** True when `hash` is in this family's syntax (by prefix; not yet validated). */
  claims(hash: string): boolean;
  /** Validates and parses; throws `hash_malformed` / `hash_cost_too_high` / `hash_unsupported`. */
  parse(hash: string, limits: HashCostLimits): ParsedHash;
  /**
   * For single-digest formats: validates `hash` exactly as {@link parse} does (same
   * errors) and reads it into `draft`, for `verify()` to check without building a parsed
   * hash; undefined when this hash needs {@link parse} after all.
   */
  draft?(hash: string, draft: SaltedDigestDraft): SaltedDigestDraft | undefined;
}

/** The "Auth0 cannot verify this" result, worded the same way everywhere. */
export function auth0Unsupported(scheme: string, why: string): Auth0Conversion {
  return {
    unsupported: true,
    scheme,
    reason: `Auth0 cannot verify ${scheme} (${why}): Ferry verifies it itself, or the user migrates by trickle login.`,
  };
}

/**
 * Checks `password` against a parsed hash: through `verifySync` when the hash offers it,
 * otherwise through `verify`. A throw from either becomes a rejection.
 */
export function verifyParsed(parsed: ParsedHash, password: string): Promise<HashVerifyResult> {
  if (parsed.verifySync === undefined) return parsed.verify(password).then((match) => ({ match, scheme: parsed.scheme }));
  try {
    return Promise.resolve({ match: parsed.verifySync(password), scheme: parsed.scheme });
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

/** A wrapped hash: another scheme name and/or Auth0 form around `inner` (prototype methods, no per-parse closures). */
class WrappedHash implements ParsedHash {
  constructor(
    protected readonly inner: ParsedHash,
    readonly scheme: string,
    private readonly auth0: (() => Auth0Conversion) | undefined,
  ) {}

  verify(password: string): Promise<boolean> {
    return this.inner.verify(password);
  }

  toAuth0(): Auth0Conversion {
    return this.auth0 === undefined ? this.inner.toAuth0() : this.auth0();
  }
}

/** A wrapped hash whose inner hash checks synchronously. */
class SyncWrappedHash extends WrappedHash {
  verifySync(password: string): boolean {
    return (this.inner as Required<ParsedHash>).verifySync(password);
  }
}

/**
 * `inner` under another scheme name and/or Auth0 form (wrapper formats such as `{CRYPT}`,
 * Spring `{ldap}`, structured passthroughs), keeping its synchronous check if it has one.
 */
export function wrapParsed(inner: ParsedHash, scheme: string, toAuth0?: () => Auth0Conversion): ParsedHash {
  return inner.verifySync === undefined ? new WrappedHash(inner, scheme, toAuth0) : new SyncWrappedHash(inner, scheme, toAuth0);
}
