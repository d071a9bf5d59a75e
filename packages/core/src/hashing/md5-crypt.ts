/**
 * md5-crypt (`$1$`, FreeBSD/glibc) and Apache's apr1 variant (`$apr1$`), as specified by
 * Poul-Henning Kamp's original code; passlib's strictness rules (crypt alphabet, salt of
 * at most 8 characters, 22-character checksum).
 */
import { createHash } from 'node:crypto';
import { encodeHash64, isCryptText } from './codecs';
import { constantTimeEqual } from './compare';
import { malformed } from './errors';
import { cryptRounds } from './rounds';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

/** Order md5-crypt feeds the final digest bytes to the encoder. */
const TRANSPOSE = [12, 6, 0, 13, 7, 1, 14, 8, 2, 15, 9, 3, 5, 10, 4, 11] as const;

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const part of parts) h.update(part);
  return h.digest();
}

/** Computes the 22-character md5-crypt checksum (1,002 MD5 digests; the 1,000 rounds yield to the event loop). */
export async function md5CryptChecksum(password: Buffer, salt: Buffer, magic: Buffer): Promise<string> {
  const alt = md5(password, salt, password);
  const ctx = createHash('md5').update(password).update(magic).update(salt);
  for (let i = password.length; i > 0; i -= 16) ctx.update(alt.subarray(0, Math.min(16, i)));
  // The original code feeds a NUL or the first password byte per bit of the length.
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.of(0) : password.subarray(0, 1));
  return encodeHash64(await cryptRounds('md5', ctx.digest(), password, salt, 1000), TRANSPOSE);
}

/** A parsed md5-crypt or apr1 hash. */
export class Md5CryptHash implements ParsedHash {
  constructor(
    readonly scheme: string,
    private readonly magic: string,
    private readonly salt: string,
    private readonly checksum: string,
  ) {}

  async verify(password: string): Promise<boolean> {
    const computed = await md5CryptChecksum(Buffer.from(password, 'utf8'), Buffer.from(this.salt, 'latin1'), Buffer.from(this.magic, 'latin1'));
    return constantTimeEqual(Buffer.from(computed, 'latin1'), Buffer.from(this.checksum, 'latin1'));
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'Auth0 has no crypt(3) algorithms');
  }
}

function parser(magic: '$1$' | '$apr1$', scheme: string): StringHashFamily {
  return {
    claims: (hash) => hash.startsWith(magic),
    parse: (hash) => {
      const rest = hash.slice(magic.length);
      const sep = rest.indexOf('$');
      const salt = sep < 0 ? '' : rest.slice(0, sep);
      const checksum = sep < 0 ? '' : rest.slice(sep + 1);
      if (sep < 0 || salt.length > 8 || !isCryptText(salt)) throw malformed(scheme, 'the salt must be at most 8 characters of ./0-9A-Za-z followed by $');
      if (checksum.length !== 22 || !isCryptText(checksum)) throw malformed(scheme, 'the checksum must be 22 characters of ./0-9A-Za-z');
      return new Md5CryptHash(scheme, magic, salt, checksum);
    },
  };
}

/** `$1$salt$checksum`. */
export const md5CryptFamily = parser('$1$', 'md5-crypt');

/** `$apr1$salt$checksum` (Apache htpasswd). */
export const apr1Family = parser('$apr1$', 'apr1-md5-crypt');
