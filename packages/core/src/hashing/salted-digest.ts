/**
 * The salted-digest primitive shared by LDAP, Django md5/sha1, Stormpath 2, Okta,
 * Gigya, Spring and structured digests: digest(salt‖password) or digest(password‖salt),
 * optionally re-digested (Shiro/Stormpath style iterations).
 */
import { digest, DIGEST_SIZES, type DigestName } from './digest';
import { constantTimeEqual } from './compare';
import type { Auth0CustomPasswordHash } from '../contracts/profile';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash } from './parsed-hash';

/** Node's names for the password encodings Auth0 lets a hash declare. */
export type PasswordEncoding = 'ascii' | 'utf8' | 'utf16le' | 'ucs2' | 'latin1' | 'binary';

/** Everything needed to recompute one salted digest. */
export interface SaltedDigestSpec {
  scheme: string;
  digest: DigestName;
  /** Raw expected digest bytes. */
  expected: Buffer;
  salt?: Buffer;
  /** Where the salt goes relative to the password (default prefix). */
  position?: 'prefix' | 'suffix';
  /** Total digest applications (default 1): h = D(salt‖pw), then h = D(h) repeatedly. */
  iterations?: number;
  passwordEncoding?: PasswordEncoding;
  /** How the hash text was encoded, so the Auth0 form can keep it. */
  auth0Encoding?: 'hex' | 'base64';
  /** Salt encoding for the Auth0 form (utf8 when the legacy salt is text). */
  auth0SaltEncoding?: 'utf8' | 'base64' | 'hex';
  /** A fixed Auth0 form (e.g. LDAP strings pass through unchanged). */
  auth0Override?: Auth0Conversion;
}

const AUTH0_DIGESTS = new Set<DigestName>(['md4', 'md5', 'sha1', 'sha256', 'sha512']);

/** A parsed salted digest. */
export class SaltedDigestHash implements ParsedHash {
  readonly scheme: string;

  constructor(private readonly spec: SaltedDigestSpec) {
    this.scheme = spec.scheme;
  }

  /** Expected digest length for `name`, to validate stored values. */
  static sizeOf(name: DigestName): number {
    return DIGEST_SIZES[name];
  }

  async verify(password: string): Promise<boolean> {
    return this.verifySync(password);
  }

  /** Synchronous check (the digests are cheap; used by wrappers and benchmarks). */
  verifySync(password: string): boolean {
    const { salt, position = 'prefix', iterations = 1 } = this.spec;
    const pw = Buffer.from(password, this.spec.passwordEncoding ?? 'utf8');
    let h = salt === undefined || salt.length === 0 ? digest(this.spec.digest, pw) : position === 'prefix' ? digest(this.spec.digest, salt, pw) : digest(this.spec.digest, pw, salt);
    for (let i = 1; i < iterations; i++) h = digest(this.spec.digest, h);
    return constantTimeEqual(h, this.spec.expected);
  }

  toAuth0(): Auth0Conversion {
    if (this.spec.auth0Override) return this.spec.auth0Override;
    const { digest: name, iterations = 1, salt, position = 'prefix' } = this.spec;
    if (!AUTH0_DIGESTS.has(name)) return auth0Unsupported(this.scheme, `Auth0 has no ${name} algorithm`);
    if (iterations !== 1) return auth0Unsupported(this.scheme, 'the digest is iterated');
    const encoding = this.spec.auth0Encoding ?? 'hex';
    const passwordEncoding = this.spec.passwordEncoding;
    const custom: Auth0CustomPasswordHash = {
      algorithm: name as Auth0CustomPasswordHash['algorithm'],
      hash: { value: this.spec.expected.toString(encoding), encoding },
    };
    if (salt !== undefined && salt.length > 0) {
      const saltEncoding = this.spec.auth0SaltEncoding ?? 'base64';
      custom.salt = { value: salt.toString(saltEncoding === 'utf8' ? 'utf8' : saltEncoding), encoding: saltEncoding, position };
    }
    if (passwordEncoding !== undefined && passwordEncoding !== 'utf8') custom.password = { encoding: passwordEncoding };
    return { custom_password_hash: custom };
  }
}
