/**
 * Ferry's password-hash toolkit: identify, verify and convert legacy hashes, and hash new
 * passwords with argon2id. Formats and the structured JSON shape: docs/HASHES.md.
 */
export { identify } from './identify';
export { verify } from './verify';
export { toAuth0 } from './to-auth0';
export { parseHash } from './parse-hash';
export type { Auth0Conversion, ParsedHash } from './parsed-hash';
export { DEFAULT_HASH_COST_LIMITS, resolveLimits } from './limits';
export type { HashErrorCode } from './errors';
export { PasswordHashingService } from './password-hashing-service';
export { createHashingModule, hashingModule } from './hashing-module';
export { md4 } from './md4';
