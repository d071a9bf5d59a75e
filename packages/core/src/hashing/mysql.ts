/** MySQL 4.1+ `PASSWORD()`: `*` + upper-case HEX(SHA1(SHA1(password))). */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from './compare';
import { malformed } from './errors';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

/** A parsed MySQL 4.1 hash. */
export class Mysql41Hash implements ParsedHash {
  readonly scheme = 'mysql41';

  constructor(private readonly expected: Buffer) {}

  async verify(password: string): Promise<boolean> {
    const inner = createHash('sha1').update(password, 'utf8').digest();
    return constantTimeEqual(createHash('sha1').update(inner).digest(), this.expected);
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'the digest is applied twice');
  }
}

/** `*` followed by 40 hex digits (MySQL writes upper case; passlib accepts either). */
export const mysql41Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('*') && hash.length === 41,
  parse: (hash) => {
    if (!/^\*[0-9A-Fa-f]{40}$/.test(hash)) throw malformed('mysql41', 'expected * followed by 40 hex digits');
    return new Mysql41Hash(Buffer.from(hash.slice(1), 'hex'));
  },
};
