/** Naming a hash's scheme without computing anything. */
import type { LegacyHash } from '../contracts/password-hash';
import { NO_COST_LIMITS } from './limits';
import { parseHash } from './parse-hash';

/**
 * The scheme of a stored hash, e.g. `bcrypt`, `django-pbkdf2-sha256`, `ldap-ssha`,
 * `aspnet-identity-v3`. The hash is parsed strictly (a malformed one throws
 * `hash_malformed`), but costs are not checked: identifying is free.
 *
 * A bare hex or base64 string throws `hash_unsupported`: it is ambiguous, so declare a
 * structured hash instead.
 */
export function identify(hash: LegacyHash): string {
  return parseHash(hash, NO_COST_LIMITS).scheme;
}
