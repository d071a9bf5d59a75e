/**
 * The issuer's key set for `ferry serve`'s bearer tokens: jose's remote JWKS, with every
 * failure to obtain it told apart from a bad token, and the last fetched keys kept in use
 * through an outage of the issuer's endpoint for a bounded time.
 */
import type { JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { joseModule } from '../lazy-deps';

/** The issuer's key set could not be obtained: whatever the token is, the caller is not at fault. */
export class KeySetUnavailable extends Error {}

// What the key lookup throws because of the token itself: its `kid`/`alg` names no key of a set that was fetched.
const TOKEN_KEY_ERRORS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED']);

/** Timings of {@link remoteKeySet} (tests shorten them). */
export interface KeySetTimings {
  /** How long a fetched set is used before it is fetched again (jose's `cacheMaxAge`). */
  cacheMaxAgeMs: number;
  /** Least time between refetches for an unknown `kid` (key rotation). */
  cooldownMs: number;
  /** How long the last keys fetched keep verifying while the endpoint cannot be reached, counted from the last successful lookup. */
  staleMaxMs: number;
}

const DEFAULTS: KeySetTimings = { cacheMaxAgeMs: 10 * 60_000, cooldownMs: 30_000, staleMaxMs: 60 * 60_000 };

/**
 * jose's remote key set, with every failure to obtain it — timeout, network or TLS error,
 * non-200, invalid JSON, a malformed or empty set — thrown as {@link KeySetUnavailable}
 * (jose throws these as plain `JOSEError`s or Node errors, which look like bad tokens).
 * When a refetch fails, the keys fetched last keep verifying for `staleMaxMs` after the
 * last successful lookup, so an outage of the issuer's endpoint does not stop tokens
 * signed with known keys; a `kid` they don't hold is then KeySetUnavailable, not a bad token.
 */
export function remoteKeySet(uri: string, timings: Partial<KeySetTimings> = {}): JWTVerifyGetKey {
  const t = { ...DEFAULTS, ...timings };
  const jose = joseModule();
  const remote = jose.createRemoteJWKSet(new URL(uri), { cacheMaxAge: t.cacheMaxAgeMs, cooldownDuration: t.cooldownMs, timeoutDuration: 5000 });
  let lastGoodAt = 0;
  let failedAt = -Infinity;
  let stale: { keys: JSONWebKeySet; lookup: JWTVerifyGetKey } | undefined;
  const fromHeld = async (held: JSONWebKeySet, why: string, header: Parameters<JWTVerifyGetKey>[0], token: Parameters<JWTVerifyGetKey>[1]) => {
    if (stale?.keys !== held) stale = { keys: held, lookup: jose.createLocalJWKSet(held) };
    try {
      return await stale.lookup(header, token);
    } catch {
      // Not among the keys held: it may be a new key the endpoint would have served.
      throw new KeySetUnavailable(`${why} (and the token's key is not among the ${held.keys.length} held from the last fetch)`);
    }
  };
  const usable = (held: JSONWebKeySet | undefined): held is JSONWebKeySet => held !== undefined && held.keys.length > 0 && lastGoodAt > 0 && Date.now() - lastGoodAt <= t.staleMaxMs;
  return async (header, token) => {
    // Within a cooldown of a failed fetch, the held keys answer without asking the endpoint
    // again (a hanging endpoint would hold every request for the fetch timeout).
    const held = remote.jwks();
    if (Date.now() - failedAt < t.cooldownMs && usable(held)) return fromHeld(held, 'the key set could not be fetched a moment ago', header, token);
    try {
      const key = await remote(header, token);
      lastGoodAt = Date.now();
      return key;
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      const after = remote.jwks();
      // A set without any key verifies nothing: the issuer's side is broken, whatever the token says.
      const empty = after?.keys.length === 0;
      if (typeof code === 'string' && TOKEN_KEY_ERRORS.has(code) && !empty) throw err;
      const why = empty ? 'the key set has no keys' : `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`;
      failedAt = Date.now();
      if (!usable(after)) throw new KeySetUnavailable(why);
      return fromHeld(after, why, header, token);
    }
  };
}
