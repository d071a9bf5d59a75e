/**
 * Argon2 PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$tag`) and Django's `argon2$`
 * wrapper. Parsed here with the reference decoder's rules, computed by @node-rs/argon2's
 * raw mode (so the version and tag length come from the string, not library defaults),
 * compared in constant time.
 */
import { hashRaw, type Algorithm, type Version } from '@node-rs/argon2';
import type { HashCostLimits } from '../contracts/password-hash';
import { decodeBase64, parseDecimal } from './codecs';
import { constantTimeEqual } from './compare';
import { malformed, unsupported } from './errors';
import { assertCost } from './limits';
import type { Auth0Conversion, ParsedHash, StringHashFamily } from './parsed-hash';

/** The three Argon2 variants. */
export type Argon2Variant = 'argon2d' | 'argon2i' | 'argon2id';

// Numeric values of @node-rs/argon2's const enums (declared const, so not importable at runtime).
const ALGORITHM: Record<Argon2Variant, Algorithm> = { argon2d: 0 as Algorithm, argon2i: 1 as Algorithm, argon2id: 2 as Algorithm };
const VERSION: Record<16 | 19, Version> = { 16: 0 as Version, 19: 1 as Version };

/** OWASP's recommended argon2id parameters, Ferry's default for new hashes. */
export const ARGON2_DEFAULTS = Object.freeze({ memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 });

const PHC_RE = /^\$(argon2id|argon2i|argon2d)(?:\$v=([0-9]+))?\$m=([0-9]+),t=([0-9]+),p=([0-9]+)((?:,[a-z]+=[^$]*)*)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** A parsed Argon2 hash. */
export class Argon2Hash implements ParsedHash {
  constructor(
    readonly scheme: string,
    /** The bare PHC string. */
    readonly encoded: string,
    readonly variant: Argon2Variant,
    readonly version: 16 | 19,
    readonly memoryCost: number,
    readonly timeCost: number,
    readonly parallelism: number,
    private readonly salt: Buffer,
    private readonly tag: Buffer,
  ) {}

  async verify(password: string): Promise<boolean> {
    const computed = await hashRaw(Buffer.from(password, 'utf8'), {
      algorithm: ALGORITHM[this.variant],
      version: VERSION[this.version],
      memoryCost: this.memoryCost,
      timeCost: this.timeCost,
      parallelism: this.parallelism,
      outputLen: this.tag.length,
      salt: this.salt,
    });
    return constantTimeEqual(computed, this.tag);
  }

  /** True when this is argon2id v19 with at least Ferry's default parameters. */
  meetsDefaults(): boolean {
    return (
      this.variant === 'argon2id' &&
      this.version === 19 &&
      this.memoryCost >= ARGON2_DEFAULTS.memoryCost &&
      this.timeCost >= ARGON2_DEFAULTS.timeCost &&
      this.parallelism >= ARGON2_DEFAULTS.parallelism &&
      this.tag.length >= 16
    );
  }

  toAuth0(): Auth0Conversion {
    return { custom_password_hash: { algorithm: 'argon2', hash: { value: this.encoded, encoding: 'utf8' } } };
  }
}

/** Parses an Argon2 PHC string; `scheme` overrides the name (for wrappers). */
export function parseArgon2(encoded: string, limits: HashCostLimits, scheme?: string): Argon2Hash {
  const m = PHC_RE.exec(encoded);
  const name = scheme ?? m?.[1] ?? 'argon2';
  if (!m) throw malformed(name, 'expected $argon2{i,d,id}$[v=19$]m=…,t=…,p=…$<base64 salt>$<base64 hash>');
  const [, variant, versionText, mText, tText, pText, extra, saltText, tagText] = m as unknown as [string, Argon2Variant, string | undefined, string, string, string, string, string, string];
  if (extra !== '') throw unsupported(`${name} with keyid/data parameters (a server-side secret is needed)`);
  // The reference decoder treats a missing v= as version 0x10.
  const version = versionText === undefined ? 16 : parseDecimal(versionText);
  if (version !== 16 && version !== 19) throw malformed(name, 'version must be v=16 or v=19');
  const memoryCost = parseDecimal(mText);
  const timeCost = parseDecimal(tText);
  const parallelism = parseDecimal(pText);
  if (memoryCost === undefined || timeCost === undefined || parallelism === undefined) {
    throw malformed(name, 'm, t and p must be plain decimals without leading zeros');
  }
  if (parallelism < 1 || parallelism > 255) throw malformed(name, 'p must be between 1 and 255');
  if (timeCost < 1) throw malformed(name, 't must be at least 1');
  if (memoryCost < 8 * parallelism) throw malformed(name, 'm must be at least 8 × p KiB');
  assertCost(name, 'memory (KiB)', memoryCost, limits, 'maxArgon2MemoryKiB');
  assertCost(name, 'time cost', timeCost, limits, 'maxArgon2TimeCost');
  const salt = decodeBase64(saltText, 'forbidden');
  const tag = decodeBase64(tagText, 'forbidden');
  if (!salt || salt.length < 8) throw malformed(name, 'the salt must be canonical unpadded base64 of at least 8 bytes');
  if (!tag || tag.length < 4) throw malformed(name, 'the hash must be canonical unpadded base64 of at least 4 bytes');
  return new Argon2Hash(name, encoded, variant, version, memoryCost, timeCost, parallelism, salt, tag);
}

/** Bare Argon2 PHC strings. */
export const argon2Family: StringHashFamily = {
  claims: (hash) => /^\$argon2(id|i|d)\$/.test(hash),
  parse: (hash, limits) => parseArgon2(hash, limits),
};

/** Django `Argon2PasswordHasher`: `argon2` + the PHC string. */
export const djangoArgon2Family: StringHashFamily = {
  claims: (hash) => hash.startsWith('argon2$'),
  parse: (hash, limits) => parseArgon2(hash.slice('argon2'.length), limits, 'django-argon2'),
};
