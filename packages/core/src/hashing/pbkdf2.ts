/**
 * The PBKDF2 primitive shared by the PHC, passlib, Django, LDAP, Atlassian, ASP.NET
 * Identity, Gigya and Okta formats. Every one of them converts to Auth0's PHC form.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import { encodeBase64NoPad } from './codecs';
import { constantTimeEqual } from './compare';
import { pbkdf2Async, type DigestName } from './digest';
import { malformed } from './errors';
import { assertCost } from './limits';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash } from './parsed-hash';

const AUTH0_PBKDF2_DIGESTS = new Set<DigestName>(['md5', 'ripemd160', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'whirlpool']);

/** A parsed PBKDF2 hash. */
export class Pbkdf2Hash implements ParsedHash {
  constructor(
    readonly scheme: string,
    readonly digest: DigestName,
    readonly iterations: number,
    private readonly salt: Buffer,
    private readonly derivedKey: Buffer,
  ) {}

  async verify(password: string): Promise<boolean> {
    const key = await pbkdf2Async(Buffer.from(password, 'utf8'), this.salt, this.iterations, this.derivedKey.length, this.digest);
    return constantTimeEqual(key, this.derivedKey);
  }

  /** The PHC string Auth0 and Kratos accept: `$pbkdf2-<digest>$i=…,l=…$salt$hash`. */
  toPhc(): string {
    return `$pbkdf2-${this.digest}$i=${this.iterations},l=${this.derivedKey.length}$${encodeBase64NoPad(this.salt)}$${encodeBase64NoPad(this.derivedKey)}`;
  }

  toAuth0(): Auth0Conversion {
    if (!AUTH0_PBKDF2_DIGESTS.has(this.digest)) return auth0Unsupported(this.scheme, `Auth0 has no pbkdf2-${this.digest}`);
    return { custom_password_hash: { algorithm: 'pbkdf2', hash: { value: this.toPhc(), encoding: 'utf8' } } };
  }
}

/** Builds a {@link Pbkdf2Hash} after the checks every PBKDF2 format shares. */
export function makePbkdf2(
  scheme: string,
  digest: DigestName,
  iterations: number | undefined,
  salt: Buffer | undefined,
  derivedKey: Buffer | undefined,
  limits: HashCostLimits,
): Pbkdf2Hash {
  if (iterations === undefined || iterations < 1) throw malformed(scheme, 'the iteration count must be a positive decimal without leading zeros');
  if (salt === undefined) throw malformed(scheme, 'the salt is not validly encoded');
  if (derivedKey === undefined || derivedKey.length === 0) throw malformed(scheme, 'the derived key is not validly encoded');
  assertCost(scheme, 'iterations', iterations, limits, 'maxIterations');
  return new Pbkdf2Hash(scheme, digest, iterations, salt, derivedKey);
}
