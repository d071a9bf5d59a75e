/**
 * bcrypt (`$2a$`, `$2b$`, `$2y$`, `$2x$`). The native @node-rs/bcrypt computes the hash
 * for the stored salt and cost; Ferry re-encodes and compares the whole string in
 * constant time, as OpenBSD's `bcrypt_checkpass` does.
 */
import { hash as bcryptHash } from '@node-rs/bcrypt';
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeBcryptBase64 } from './codecs';
import { constantTimeEqual } from './compare';
import { malformed, unsupported } from './errors';
import { assertCost } from './limits';
import { auth0Unsupported, type Auth0Conversion, type ParsedHash, type StringHashFamily } from './parsed-hash';

const BCRYPT_RE = /^\$(2[abxy])\$([0-9]{2})\$([./A-Za-z0-9]{22})([./A-Za-z0-9]{31})$/;

/** bcrypt only reads the first 72 bytes of its input. */
const BCRYPT_MAX_INPUT = 72;

/** A parsed bcrypt string. */
export class BcryptHash implements ParsedHash {
  constructor(
    readonly scheme: string,
    /** The bare `$2?$NN$…` string. */
    readonly encoded: string,
    readonly variant: '2a' | '2b' | '2x' | '2y',
    readonly cost: number,
    private readonly salt: Buffer,
    /** Turns the user's password into bcrypt's input (wrappers pre-hash it). */
    private readonly prepare?: (password: string) => Buffer,
  ) {}

  async verify(password: string): Promise<boolean> {
    return verifyBcryptInput(this, this.prepare ? this.prepare(password) : Buffer.from(password, 'utf8'));
  }

  /** Verifies raw bcrypt input bytes (used by structured hashes that add a salt). */
  async verifyInput(input: Buffer): Promise<boolean> {
    return verifyBcryptInput(this, input);
  }

  /** The salt as the 16 raw bytes bcrypt uses. */
  saltBytes(): Buffer {
    return this.salt;
  }

  toAuth0(): Auth0Conversion {
    if (this.prepare) return auth0Unsupported(this.scheme, 'the password is pre-hashed before bcrypt');
    if (this.variant === '2x') return auth0Unsupported('bcrypt $2x$', 'Auth0 accepts $2a$, $2b$ and $2y$ only');
    if ((this.variant === '2a' || this.variant === '2b') && this.cost === 10) return { password_hash: this.encoded };
    return { custom_password_hash: { algorithm: 'bcrypt', hash: { value: this.encoded, encoding: 'utf8' } } };
  }
}

async function verifyBcryptInput(parsed: BcryptHash, input: Buffer): Promise<boolean> {
  // C implementations stop at the first NUL byte and passlib refuses such passwords;
  // refusing keeps "abc\0xyz" from ever matching a hash of "abc".
  if (input.includes(0)) return false;
  if (parsed.variant === '2x' && input.some((byte) => byte >= 0x80)) {
    throw unsupported('bcrypt $2x$ with a non-ASCII password (crypt_blowfish sign-extension bug)', 'Let these users migrate by trickle login against the legacy system.');
  }
  const computed = await bcryptHash(input.subarray(0, BCRYPT_MAX_INPUT), parsed.cost, parsed.saltBytes());
  // The native library always writes $2b$; the variants differ only in bugs bcrypt-rs
  // does not reproduce, so compare everything after the 4-character prefix.
  return constantTimeEqual(Buffer.from(computed.slice(4), 'latin1'), Buffer.from(parsed.encoded.slice(4), 'latin1'));
}

/** Parses a bare bcrypt string; `scheme` names the wrapper it came in. */
export function parseBcrypt(
  encoded: string,
  limits: HashCostLimits,
  scheme = 'bcrypt',
  prepare?: (password: string) => Buffer,
): BcryptHash {
  const m = BCRYPT_RE.exec(encoded);
  if (!m) {
    throw malformed(scheme, 'expected $2a$/$2b$/$2y$/$2x$, a two-digit cost, then 53 characters of bcrypt base64');
  }
  const [, variant, costText, saltText, checksumText] = m as unknown as [string, BcryptHash['variant'], string, string, string];
  const cost = Number(costText);
  if (cost < 4 || cost > 31) throw malformed(scheme, 'cost must be between 04 and 31');
  assertCost(scheme, 'cost', cost, limits, 'maxBcryptCost');
  const salt = decodeBcryptBase64(saltText, 16);
  if (!salt) throw malformed(scheme, 'the salt has padding bits set (non-canonical encoding)');
  if (!decodeBcryptBase64(checksumText, 23)) throw malformed(scheme, 'the checksum has padding bits set (non-canonical encoding)');
  return new BcryptHash(scheme, encoded, variant, cost, salt, prepare);
}

/** Plain `$2?$` bcrypt strings. */
export const bcryptFamily: StringHashFamily = {
  claims: (hash) => /^\$2[abxy]\$/.test(hash),
  parse: (hash, limits) => parseBcrypt(hash, limits),
};
