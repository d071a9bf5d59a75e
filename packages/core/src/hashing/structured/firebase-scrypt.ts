/**
 * Firebase Auth's modified scrypt: key = scrypt(pw, salt ‖ saltSeparator, N = 2^memCost,
 * r = rounds, p = 1, 32 bytes); stored hash = AES-256-CTR(key, zero IV) over the project's
 * signer key. Shape: `{algorithm: "firebase-scrypt", hash, salt, signerKey, saltSeparator,
 * rounds, memCost}` (all byte fields base64, as `firebase auth:export` writes them).
 */
import { createCipheriv } from 'node:crypto';
import type { HashCostLimits } from '../../contracts/password-hash';
import type { JsonObject } from '../../contracts/profile';
import { constantTimeEqual } from '../compare';
import { scryptAsync } from '../digest';
import { malformed } from '../errors';
import { assertCost } from '../limits';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash } from '../parsed-hash';
import { decodeText, integerField, requiredString } from './fields';

class FirebaseScryptHash implements ParsedHash {
  readonly scheme = 'firebase-scrypt';

  constructor(
    private readonly salt: Buffer,
    private readonly signerKey: Buffer,
    private readonly N: number,
    private readonly r: number,
    private readonly expected: Buffer,
  ) {}

  async verify(password: string): Promise<boolean> {
    const key = await scryptAsync(Buffer.from(password, 'utf8'), this.salt, { N: this.N, r: this.r, p: 1, keyLength: 32 });
    const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
    const computed = Buffer.concat([cipher.update(this.signerKey), cipher.final()]);
    return constantTimeEqual(computed, this.expected);
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'the scrypt output is encrypted with the project signer key');
  }
}

/** Parses a Firebase scrypt object. */
export function parseFirebaseScrypt(obj: JsonObject, limits: HashCostLimits): ParsedHash {
  const scheme = 'firebase-scrypt';
  const field = (key: string): Buffer => decodeText(requiredString(obj, key, scheme), 'base64', scheme, key);
  const rounds = integerField(obj, 'rounds', scheme);
  const memCost = integerField(obj, 'memCost', scheme);
  if (rounds === undefined || rounds < 1 || rounds > 8) throw malformed(scheme, 'rounds must be 1..8');
  if (memCost === undefined || memCost < 1 || memCost > 14) throw malformed(scheme, 'memCost must be 1..14');
  const N = 2 ** memCost;
  assertCost(scheme, 'N', N, limits, 'maxScryptN');
  assertCost(scheme, 'memory (bytes)', 128 * N * rounds, limits, 'maxScryptMemoryBytes');
  const signerKey = field('signerKey');
  const expected = field('hash');
  if (expected.length !== signerKey.length) throw malformed(scheme, 'hash and signerKey must have the same length');
  return new FirebaseScryptHash(Buffer.concat([field('salt'), field('saltSeparator')]), signerKey, N, rounds, expected);
}
