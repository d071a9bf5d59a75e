/** MySQL 4.1+ `PASSWORD()`: `*` + upper-case HEX(SHA1(SHA1(password))). */
import { decodeHex } from './codecs';
import { digestMatches } from './digest';
import { malformed } from './errors';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

/** A parsed MySQL 4.1 hash. */
export class Mysql41Hash implements ParsedHash {
  readonly scheme = 'mysql41';

  constructor(private readonly expected: Buffer) {}

  async verify(password: string): Promise<boolean> {
    return this.verifySync(password);
  }

  /** Two SHA-1 digests: cheap enough to check synchronously. */
  verifySync(password: string): boolean {
    return digestMatches('sha1', password, this.expected, 2);
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'the digest is applied twice');
  }
}

/** `*` followed by 40 hex digits (MySQL writes upper case; passlib accepts either). */
export const mysql41Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('*') && hash.length === 41,
  parse: (hash) => {
    const expected = decodeHex(hash.slice(1));
    if (expected === undefined) throw malformed('mysql41', 'expected * followed by 40 hex digits');
    return new Mysql41Hash(expected);
  },
};
