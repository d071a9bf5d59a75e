/**
 * Password hashes in the layouts legacy apps really store, so generated databases
 * exercise the same parsers production data will. Costs default to cheap values (the
 * demo generates 10,000 users per run); `REALISTIC_HASH_COSTS` matches what the
 * platforms ship with.
 */
import { createHash, pbkdf2 as pbkdf2Callback } from 'node:crypto';
import { promisify } from 'node:util';
import { nativeBcrypt } from './bcrypt-native';
import { CRYPT_SALT_ALPHABET, md5Crypt, phpassHash } from './crypt-hashes';
import type { SeededRandom } from './seeded-random';

/** The hash formats the generator writes. */
export type LegacyHashFormat = 'bcrypt' | 'salted-sha256' | 'md5-crypt' | 'phpass' | 'django-pbkdf2' | 'aspnet-v2' | 'aspnet-v3';

/** Every format, in a stable order. */
export const LEGACY_HASH_FORMATS: readonly LegacyHashFormat[] = ['bcrypt', 'salted-sha256', 'md5-crypt', 'phpass', 'django-pbkdf2', 'aspnet-v2', 'aspnet-v3'];

/** Work factors of the formats that have one (md5-crypt and ASP.NET v2 are fixed). */
export interface LegacyHashCosts {
  /** bcrypt cost (log2 rounds). */
  bcrypt: number;
  /** phpass log2 rounds (WordPress: 13). */
  phpassLog2: number;
  /** Django PBKDF2-SHA256 iterations. */
  djangoPbkdf2: number;
  /** ASP.NET Identity v3 iterations (PBKDF2-SHA512, .NET 7+ layout). */
  aspnetV3: number;
}

/** Cheap costs: 10,000 users generate in seconds. */
export const FAST_HASH_COSTS: Readonly<LegacyHashCosts> = Object.freeze({ bcrypt: 4, phpassLog2: 7, djangoPbkdf2: 1000, aspnetV3: 1000 });

/** What the platforms ship with (bcrypt 10 as Auth0/Laravel, WordPress 13, Django 5.0, .NET 7). */
export const REALISTIC_HASH_COSTS: Readonly<LegacyHashCosts> = Object.freeze({ bcrypt: 10, phpassLog2: 13, djangoPbkdf2: 720000, aspnetV3: 100000 });

/** A generated credential: the hash column, and the salt column for raw digests. */
export interface LegacyCredential {
  hash: string;
  salt: string | null;
}

// Async so PBKDF2 runs on libuv's thread pool, in parallel with the main thread's MD5 work.
const pbkdf2 = promisify(pbkdf2Callback);

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

async function aspnet(version: 2 | 3, password: string, salt: Buffer, iterations: number): Promise<string> {
  if (version === 2) return Buffer.concat([Buffer.from([0]), salt, await pbkdf2(password, salt, 1000, 32, 'sha1')]).toString('base64');
  const header = Buffer.alloc(13);
  header[0] = 0x01;
  header.writeUInt32BE(2, 1); // PRF 2 = HMAC-SHA512
  header.writeUInt32BE(iterations, 5);
  header.writeUInt32BE(salt.length, 9);
  return Buffer.concat([header, salt, await pbkdf2(password, salt, iterations, 32, 'sha512')]).toString('base64');
}

/** Hash `password` in `format`, drawing salts from `rng` so the output is deterministic. */
export async function legacyHash(format: LegacyHashFormat, password: string, rng: SeededRandom, costs: LegacyHashCosts): Promise<LegacyCredential> {
  switch (format) {
    case 'bcrypt':
      return { hash: await nativeBcrypt().hash(password, costs.bcrypt, rng.bytes(16)), salt: null };
    case 'salted-sha256': {
      const salt = rng.chars(16, '0123456789abcdef');
      return { hash: createHash('sha256').update(salt + password, 'utf8').digest('hex'), salt };
    }
    case 'md5-crypt':
      return { hash: md5Crypt(password, rng.chars(8, CRYPT_SALT_ALPHABET)), salt: null };
    case 'phpass':
      return { hash: phpassHash(password, rng.chars(8, CRYPT_SALT_ALPHABET), costs.phpassLog2), salt: null };
    case 'django-pbkdf2': {
      const salt = rng.chars(22, ALNUM);
      const dk = (await pbkdf2(password, salt, costs.djangoPbkdf2, 32, 'sha256')).toString('base64');
      return { hash: `pbkdf2_sha256$${costs.djangoPbkdf2}$${salt}$${dk}`, salt: null };
    }
    case 'aspnet-v2':
      return { hash: await aspnet(2, password, rng.bytes(16), 1000), salt: null };
    case 'aspnet-v3':
      return { hash: await aspnet(3, password, rng.bytes(16), costs.aspnetV3), salt: null };
  }
}
