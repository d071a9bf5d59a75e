/**
 * sha256-crypt (`$5$`) and sha512-crypt (`$6$`) per Ulrich Drepper's specification
 * (akkadia.org/drepper/SHA-crypt.txt), with passlib's strictness: `rounds=` without
 * leading zeros and at least 1000, salt of at most 16 crypt characters.
 */
import { createHash, hash as oneShot } from 'node:crypto';
import type { HashCostLimits } from '../contracts/password-hash';
import { encodeHash64, isCryptText, parseDecimal } from './codecs';
import { constantTimeEqual } from './compare';
import { malformed } from './errors';
import { assertCost } from './limits';
import { cryptRounds } from './rounds';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

interface Variant {
  magic: '$5$' | '$6$';
  scheme: string;
  digest: 'sha256' | 'sha512';
  size: number;
  checksumLength: number;
  transpose: readonly number[];
}

const SHA256: Variant = {
  magic: '$5$',
  scheme: 'sha256-crypt',
  digest: 'sha256',
  size: 32,
  checksumLength: 43,
  transpose: [20, 10, 0, 11, 1, 21, 2, 22, 12, 23, 13, 3, 14, 4, 24, 5, 25, 15, 26, 16, 6, 17, 7, 27, 8, 28, 18, 29, 19, 9, 30, 31],
};

const SHA512: Variant = {
  magic: '$6$',
  scheme: 'sha512-crypt',
  digest: 'sha512',
  size: 64,
  checksumLength: 86,
  transpose: [
    42, 21, 0, 1, 43, 22, 23, 2, 44, 45, 24, 3, 4, 46, 25, 26, 5, 47, 48, 27, 6, 7, 49, 28, 29, 8, 50, 51, 30, 9, 10, 52, 31, 32, 11, 53, 54, 33, 12, 13,
    55, 34, 35, 14, 56, 57, 36, 15, 16, 58, 37, 38, 17, 59, 60, 39, 18, 19, 61, 40, 41, 20, 62, 63,
  ],
};

const DEFAULT_ROUNDS = 5000;

/** `count` bytes made of `block` repeated (and cut). */
function repeatTo(block: Buffer, count: number): Buffer {
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i += block.length) block.copy(out, i, 0, Math.min(block.length, count - i));
  return out;
}

/** Computes the sha-crypt checksum text (the rounds yield to the event loop between slices). */
export async function shaCryptChecksum(v: Variant, password: Buffer, salt: Buffer, rounds: number): Promise<string> {
  const H = (): ReturnType<typeof createHash> => createHash(v.digest);
  const b = H().update(password).update(salt).update(password).digest();
  const a = H().update(password).update(salt).update(repeatTo(b, password.length));
  for (let i = password.length; i > 0; i >>= 1) a.update(i & 1 ? b : password);
  const aDigest = a.digest();
  // DP = D(password × len), DS = D(salt × (16 + A[0])): one filled buffer and one call
  // instead of up to 271 updates (the password form only up to 64 KiB; longer ones stream).
  let dp: Buffer;
  if (password.length <= 256) dp = oneShot(v.digest, Buffer.alloc(password.length * password.length, password), 'buffer');
  else {
    const h = H();
    for (let i = 0; i < password.length; i++) h.update(password);
    dp = h.digest();
  }
  const p = repeatTo(dp, password.length);
  const s = repeatTo(oneShot(v.digest, Buffer.alloc(salt.length * (16 + (aDigest[0] ?? 0)), salt), 'buffer'), salt.length);
  const c = await cryptRounds(v.digest, aDigest, p, s, rounds);
  return encodeHash64(c, v.transpose);
}

/** A parsed sha-crypt hash. */
export class ShaCryptHash implements ParsedHash {
  readonly scheme: string;

  constructor(
    private readonly variant: Variant,
    readonly rounds: number,
    private readonly salt: string,
    private readonly checksum: string,
  ) {
    this.scheme = variant.scheme;
  }

  async verify(password: string): Promise<boolean> {
    const computed = await shaCryptChecksum(this.variant, Buffer.from(password, 'utf8'), Buffer.from(this.salt, 'latin1'), this.rounds);
    return constantTimeEqual(Buffer.from(computed, 'latin1'), Buffer.from(this.checksum, 'latin1'));
  }

  toAuth0(): Auth0Conversion {
    return auth0Unsupported(this.scheme, 'Auth0 has no crypt(3) algorithms');
  }
}

function family(v: Variant): StringHashFamily {
  return {
    claims: (hash) => hash.startsWith(v.magic),
    parse: (hash: string, limits: HashCostLimits) => {
      const m = /^(?:rounds=([^$]*)\$)?([^$]*)\$([^$]*)$/.exec(hash.slice(v.magic.length));
      if (!m) throw malformed(v.scheme, `expected ${v.magic}[rounds=N$]<salt>$<checksum>`);
      const [, roundsText, salt, checksum] = m as unknown as [string, string | undefined, string, string];
      const rounds = roundsText === undefined ? DEFAULT_ROUNDS : parseDecimal(roundsText);
      if (rounds === undefined || rounds < 1000 || rounds > 999_999_999) {
        throw malformed(v.scheme, 'rounds must be a decimal from 1000 to 999999999 without leading zeros');
      }
      if (salt.length > 16 || !isCryptText(salt)) throw malformed(v.scheme, 'the salt must be at most 16 characters of ./0-9A-Za-z');
      if (checksum.length !== v.checksumLength || !isCryptText(checksum)) {
        throw malformed(v.scheme, `the checksum must be ${v.checksumLength} characters of ./0-9A-Za-z`);
      }
      assertCost(v.scheme, 'rounds', rounds, limits, 'maxCryptRounds');
      return new ShaCryptHash(v, rounds, salt, checksum);
    },
  };
}

/** `$5$[rounds=N$]salt$checksum`. */
export const sha256CryptFamily = family(SHA256);

/** `$6$[rounds=N$]salt$checksum`. */
export const sha512CryptFamily = family(SHA512);
