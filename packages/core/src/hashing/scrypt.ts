/**
 * scrypt (RFC 7914) in its string forms: PHC/passlib `$scrypt$ln=…,r=…,p=…$salt$hash`,
 * Kratos (same prefix, `ln` holding N itself and padded base64), Django
 * `scrypt$N$salt$r$p$hash` and Spring `{scrypt}$<hex params>$salt$key`.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import type { Auth0CustomPasswordHash } from '../contracts/profile';
import { decodeBase64, parseDecimal } from './codecs';
import { constantTimeEqual } from './compare';
import { scryptAsync } from './digest';
import { malformed } from './errors';
import { assertCost } from './limits';
import type { Auth0Conversion, ParsedHash, StringHashFamily } from './parsed-hash';

/** A parsed scrypt hash. */
export class ScryptHash implements ParsedHash {
  constructor(
    readonly scheme: string,
    readonly N: number,
    readonly r: number,
    readonly p: number,
    private readonly salt: Buffer,
    private readonly key: Buffer,
    /** How Auth0 should read the salt (Django's salt is text). */
    private readonly saltEncoding: 'base64' | 'utf8' = 'base64',
  ) {}

  async verify(password: string): Promise<boolean> {
    const computed = await scryptAsync(Buffer.from(password, 'utf8'), this.salt, { N: this.N, r: this.r, p: this.p, keyLength: this.key.length });
    return constantTimeEqual(computed, this.key);
  }

  toAuth0(): Auth0Conversion {
    const custom: Auth0CustomPasswordHash = {
      algorithm: 'scrypt',
      hash: { value: this.key.toString('base64'), encoding: 'base64' },
      salt: { value: this.salt.toString(this.saltEncoding), encoding: this.saltEncoding },
      keylen: this.key.length,
      cost: this.N,
      blockSize: this.r,
      parallelization: this.p,
    };
    return { custom_password_hash: custom };
  }
}

/** Validates parameters against the scrypt rules and the cost limits, then builds the hash. */
export function makeScrypt(
  scheme: string,
  params: { N: number | undefined; r: number | undefined; p: number | undefined },
  salt: Buffer | undefined,
  key: Buffer | undefined,
  limits: HashCostLimits,
  saltEncoding: 'base64' | 'utf8' = 'base64',
): ScryptHash {
  const { N, r, p } = params;
  if (N === undefined || r === undefined || p === undefined) throw malformed(scheme, 'N, r and p must be plain decimals');
  if (N < 2 || (N & (N - 1)) !== 0) throw malformed(scheme, 'N must be a power of two greater than 1');
  if (r < 1 || p < 1 || r * p >= 2 ** 30) throw malformed(scheme, 'r and p must be positive with r·p < 2^30');
  if (!salt) throw malformed(scheme, 'the salt is not validly encoded');
  if (!key || key.length < 1) throw malformed(scheme, 'the hash is not validly encoded');
  assertCost(scheme, 'N', N, limits, 'maxScryptN');
  assertCost(scheme, 'memory (bytes)', 128 * N * r * p, limits, 'maxScryptMemoryBytes');
  return new ScryptHash(scheme, N, r, p, salt, key, saltEncoding);
}

/** `$scrypt$ln=…,r=…,p=…$salt$hash`: passlib/PHC (ln = log2 N) or Kratos (ln = N). */
export const scryptPhcFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('$scrypt$'),
  parse: (hash, limits) => {
    const m = /^\$scrypt\$ln=([0-9]+),r=([0-9]+),p=([0-9]+)\$([^$]*)\$([^$]*)$/.exec(hash);
    if (!m) throw malformed('scrypt', 'expected $scrypt$ln=…,r=…,p=…$<base64 salt>$<base64 hash>');
    const [, lnText, rText, pText, saltText, keyText] = m as unknown as [string, string, string, string, string, string];
    const ln = parseDecimal(lnText);
    // passlib writes log2(N) (always < 64); Kratos writes N itself (always ≥ 2, a power of two).
    const kratos = ln !== undefined && ln >= 64;
    const scheme = kratos ? 'kratos-scrypt' : 'scrypt';
    const N = ln === undefined ? undefined : kratos ? ln : ln >= 1 && ln < 53 ? 2 ** ln : undefined;
    const padding = kratos ? 'optional' : 'forbidden';
    return makeScrypt(scheme, { N, r: parseDecimal(rText), p: parseDecimal(pText) }, decodeBase64(saltText, padding), decodeBase64(keyText, padding), limits);
  },
};

/** Django `ScryptPasswordHasher`: `scrypt$N$salt$r$p$b64(64-byte key)`. */
export const djangoScryptFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('scrypt$'),
  parse: (hash, limits) => {
    const m = /^scrypt\$([0-9]+)\$([^$]+)\$([0-9]+)\$([0-9]+)\$([^$]+)$/.exec(hash);
    if (!m) throw malformed('django-scrypt', 'expected scrypt$<N>$<salt>$<r>$<p>$<base64 hash>');
    const [, nText, salt, rText, pText, keyText] = m as unknown as [string, string, string, string, string, string];
    const params = { N: parseDecimal(nText), r: parseDecimal(rText), p: parseDecimal(pText) };
    return makeScrypt('django-scrypt', params, Buffer.from(salt, 'utf8'), decodeBase64(keyText, 'required'), limits, 'utf8');
  },
};

/** Spring `SCryptPasswordEncoder`: `{scrypt}$<hex(log2N<<16 | r<<8 | p)>$<b64 salt>$<b64 key>`. */
export const springScryptFamily: StringHashFamily = {
  claims: (hash) => hash.startsWith('{scrypt}'),
  parse: (hash, limits) => {
    const m = /^\{scrypt\}\$([0-9a-f]{1,12})\$([^$]+)\$([^$]+)$/.exec(hash);
    if (!m) throw malformed('spring-scrypt', 'expected {scrypt}$<hex params>$<base64 salt>$<base64 key>');
    const params = parseInt(m[1] ?? '', 16);
    const log2N = Math.floor(params / 65536);
    const N = log2N >= 1 && log2N < 53 ? 2 ** log2N : undefined;
    return makeScrypt('spring-scrypt', { N, r: (params >> 8) & 0xff, p: params & 0xff }, decodeBase64(m[2] ?? '', 'required'), decodeBase64(m[3] ?? '', 'required'), limits);
  },
};
