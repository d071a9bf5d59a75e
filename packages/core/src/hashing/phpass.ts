/**
 * phpass portable hashes (`$P$`, phpBB3's `$H$`; WordPress before 6.8) and Drupal 7's
 * SHA-512 variant (`$S$`), per openwall.com/phpass and Drupal's includes/password.inc:
 * count = 2^itoa64(char 4), h = D(salt‖pw), then count × h = D(h‖pw).
 */
import { hash as oneShot } from 'node:crypto';
import type { HashCostLimits } from '../contracts/password-hash';
import { CRYPT_ALPHABET, encodeHash64, isCryptText } from './codecs';
import { constantTimeEqual } from './compare';
import { malformed } from './errors';
import { assertCost } from './limits';
import { chainRounds } from './rounds';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

/** Computes the encoded checksum: the iterated digest in phpass's base64, cut to `length`. */
export async function phpassChecksum(digest: 'md5' | 'sha512', password: Buffer, salt: Buffer, count: number, length: number): Promise<string> {
  // One reusable buffer (hash ‖ password) keeps each round to a copy and one digest call.
  const h = await chainRounds(digest, oneShot(digest, Buffer.concat([salt, password]), 'buffer'), password, count);
  return encodeHash64(h).slice(0, length);
}

/** A parsed phpass or Drupal 7 hash. */
export class PhpassHash implements ParsedHash {
  constructor(
    readonly scheme: string,
    private readonly digest: 'md5' | 'sha512',
    readonly count: number,
    private readonly salt: string,
    private readonly checksum: string,
  ) {}

  async verify(password: string): Promise<boolean> {
    const computed = await phpassChecksum(this.digest, Buffer.from(password, 'utf8'), Buffer.from(this.salt, 'latin1'), this.count, this.checksum.length);
    return constantTimeEqual(Buffer.from(computed, 'latin1'), Buffer.from(this.checksum, 'latin1'));
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'Auth0 has no phpass/Drupal algorithm');
  }
}

function family(prefixes: readonly string[], scheme: (prefix: string) => string, digest: 'md5' | 'sha512', checksumLength: number): StringHashFamily {
  return {
    claims: (hash) => prefixes.some((p) => hash.startsWith(p)),
    parse: (hash: string, limits: HashCostLimits) => {
      const name = scheme(hash.slice(0, 3));
      const countLog2 = CRYPT_ALPHABET.indexOf(hash.charAt(3));
      const salt = hash.slice(4, 12);
      const checksum = hash.slice(12);
      if (hash.length !== 12 + checksumLength || !isCryptText(hash.slice(3))) {
        throw malformed(name, `expected ${12 + checksumLength} characters of ./0-9A-Za-z after the prefix`);
      }
      // Both reference implementations refuse counts outside 2^7..2^30.
      if (countLog2 < 7 || countLog2 > 30) throw malformed(name, 'the iteration count character is outside 7..30');
      assertCost(name, 'iterations', 2 ** countLog2, limits, 'maxCryptRounds');
      return new PhpassHash(name, digest, 2 ** countLog2, salt, checksum);
    },
  };
}

/** `$P$`/`$H$` + count + 8 salt + 22 checksum. */
export const phpassFamily = family(['$P$', '$H$'], () => 'phpass', 'md5', 22);

/** Drupal 7 `$S$` + count + 8 salt + 43 checksum (55 characters in all). */
export const drupal7Family = family(['$S$'], () => 'drupal7-sha512', 'sha512', 43);
