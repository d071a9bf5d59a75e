/**
 * The salted-digest primitive shared by LDAP, Django md5/sha1, Stormpath 2, Okta,
 * Gigya, Spring and structured digests: digest(salt‖password) or digest(password‖salt),
 * and the iterated form (Shiro/Stormpath: h = D(salt‖password), then h = D(h) repeatedly).
 */
import { digestOf, DIGEST_SIZES, type DigestName } from './digest';
import { chainRounds, type OpenSslDigest } from './rounds';
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
  passwordEncoding?: PasswordEncoding;
  /** How the hash text was encoded, so the Auth0 form can keep it. */
  auth0Encoding?: 'hex' | 'base64';
  /** Salt encoding for the Auth0 form (utf8 when the legacy salt is text). */
  auth0SaltEncoding?: 'utf8' | 'base64' | 'hex';
  /** A stored string Auth0 takes as is, as a custom `ldap` hash (LDAP `{SSHA}`…). */
  auth0Ldap?: string;
}

/**
 * salt‖password or password‖salt in one buffer, the password encoded straight into it
 * (no intermediate password buffer and no concat on the hot path).
 */
function saltedInput(password: string, spec: Pick<SaltedDigestSpec, 'salt' | 'position' | 'passwordEncoding'>): Buffer {
  const encoding = spec.passwordEncoding ?? 'utf8';
  const salt = spec.salt;
  if (salt === undefined || salt.length === 0) return Buffer.from(password, encoding);
  const length = Buffer.byteLength(password, encoding);
  // allocUnsafe is safe here: every byte is written just below.
  const input = Buffer.allocUnsafe(salt.length + length);
  if (spec.position === 'suffix') {
    input.write(password, 0, length, encoding);
    salt.copy(input, length);
  } else {
    salt.copy(input, 0);
    input.write(password, salt.length, length, encoding);
  }
  return input;
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

  /** The check itself: one digest, microseconds, so {@link verify} need not wait on anything. */
  verifySync(password: string): boolean {
    const spec = this.spec;
    return constantTimeEqual(digestOf(spec.digest, saltedInput(password, spec)), spec.expected);
  }

  toAuth0(): Auth0Conversion {
    if (this.spec.auth0Ldap !== undefined) return { custom_password_hash: { algorithm: 'ldap', hash: { value: this.spec.auth0Ldap, encoding: 'utf8' } } };
    const { digest: name, salt, position = 'prefix' } = this.spec;
    if (!AUTH0_DIGESTS.has(name)) return auth0Unsupported(this.scheme, `Auth0 has no ${name} algorithm`);
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

const EMPTY = Buffer.alloc(0);

/**
 * An iterated salted digest (Stormpath 2 / Apache Shiro with ITER > 1): h = D(salt‖pw),
 * then ITER − 1 more h = D(h), in slices that yield to the event loop. Auth0 cannot take it.
 */
export class IteratedDigestHash implements ParsedHash {
  constructor(
    readonly scheme: string,
    private readonly spec: Pick<SaltedDigestSpec, 'expected' | 'salt' | 'position'> & { digest: OpenSslDigest },
    readonly iterations: number,
  ) {}

  async verify(password: string): Promise<boolean> {
    const first = digestOf(this.spec.digest, saltedInput(password, this.spec));
    return constantTimeEqual(await chainRounds(this.spec.digest, first, EMPTY, this.iterations - 1), this.spec.expected);
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'the digest is iterated');
  }
}
