/**
 * Stormpath export formats. `$stormpath2$ALG$ITER$SALT$HASH` is Stormpath's documented
 * import MCF (Apache Shiro's SimpleHash: D(salt‖pw), then ITER-1 more digests).
 * `$stormpath1$salt$hash` has no public spec; it is read as HMAC-SHA256 keyed by the salt
 * over the password (best effort — see docs/HASHES.md).
 */
import { decodeBase64, parseDecimal } from './codecs';
import { constantTimeEqual } from './compare';
import { hmac } from './digest';
import { malformed, unsupported } from './errors';
import { assertCost } from './limits';
import type { Auth0Conversion, ParsedHash, StringHashFamily } from './parsed-hash';
import type { OpenSslDigest } from './rounds';
import { IteratedDigestHash, SaltedDigestHash } from './salted-digest';

const ALGORITHMS: Readonly<Record<string, OpenSslDigest>> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** `$stormpath2$…`. */
export const stormpath2Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('$stormpath2$'),
  parse: (hash, limits) => {
    const m = /^\$stormpath2\$([^$]*)\$([^$]*)\$([^$]*)\$([^$]*)$/.exec(hash);
    if (!m) throw malformed('stormpath2', 'expected $stormpath2$ALGORITHM$ITERATIONS$BASE64_SALT$BASE64_HASH');
    const [, alg, iterText, saltText, hashText] = m as unknown as [string, string, string, string, string];
    const digest = ALGORITHMS[alg];
    if (!digest) throw unsupported(`$stormpath2$ algorithm ${alg}`, 'Stormpath 2 hashes use MD5, SHA-1, SHA-256, SHA-384 or SHA-512.');
    const scheme = `stormpath2-${alg.toLowerCase()}`;
    const iterations = parseDecimal(iterText);
    if (iterations === undefined || iterations < 1) throw malformed(scheme, 'iterations must be a positive decimal');
    assertCost(scheme, 'iterations', iterations, limits, 'maxCryptRounds');
    const salt = decodeBase64(saltText, 'required');
    const expected = decodeBase64(hashText, 'required');
    if (!salt) throw malformed(scheme, 'the salt must be canonical padded base64 (or empty)');
    if (!expected || expected.length !== SaltedDigestHash.sizeOf(digest)) throw malformed(scheme, 'the hash must be canonical base64 of one digest');
    if (iterations > 1) return new IteratedDigestHash(scheme, { digest, expected, salt, position: 'prefix' }, iterations);
    return new SaltedDigestHash({ scheme, digest, expected, salt, position: 'prefix', auth0Encoding: 'base64', auth0SaltEncoding: 'base64' });
  },
};

/** A parsed `$stormpath1$` hash. */
class Stormpath1Hash implements ParsedHash {
  readonly scheme = 'stormpath1-hmac-sha256';

  constructor(
    private readonly salt: Buffer,
    private readonly expected: Buffer,
  ) {}

  async verify(password: string): Promise<boolean> {
    return this.verifySync(password);
  }

  /** One HMAC: cheap enough to check synchronously. */
  verifySync(password: string): boolean {
    return constantTimeEqual(hmac('sha256', this.salt, Buffer.from(password, 'utf8')), this.expected);
  }

  toAuth0(): Auth0Conversion {
    return {
      custom_password_hash: {
        algorithm: 'hmac',
        hash: { value: this.expected.toString('base64'), encoding: 'base64', digest: 'sha256', key: { value: this.salt.toString('base64'), encoding: 'base64' } },
      },
    };
  }
}

/** `$stormpath1$…`. */
export const stormpath1Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('$stormpath1$'),
  parse: (hash) => {
    const m = /^\$stormpath1\$([^$]+)\$([^$]+)$/.exec(hash);
    const salt = m?.[1] === undefined ? undefined : decodeBase64(m[1], 'optional');
    const expected = m?.[2] === undefined ? undefined : decodeBase64(m[2], 'optional');
    if (!salt || !expected || expected.length !== 32) throw malformed('stormpath1', 'expected $stormpath1$<base64 salt>$<base64 32-byte hash>');
    return new Stormpath1Hash(salt, expected);
  },
};
