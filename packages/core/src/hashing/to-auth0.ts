/** Converting a legacy hash to what Auth0's bulk import accepts. */
import type { LegacyHash } from '../contracts/password-hash';
import { NO_COST_LIMITS } from './limits';
import { parseHash } from './parse-hash';
import type { Auth0Conversion } from './parsed-hash';

/**
 * The Auth0 import form of `stored`: `{password_hash}` (bcrypt `$2a$`/`$2b$`, cost 10),
 * `{custom_password_hash}` (an object valid against Auth0's import schema), or
 * `{unsupported, scheme, reason}` when Auth0 cannot verify the scheme — Ferry then
 * verifies it itself, or the user migrates by trickle login. Throws like `identify` for
 * malformed or unknown hashes.
 */
export function toAuth0(stored: LegacyHash): Auth0Conversion {
  return parseHash(stored, NO_COST_LIMITS).toAuth0();
}
