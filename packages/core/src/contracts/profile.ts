/**
 * User records as Ferry moves them: the Auth0 bulk-import schema's user fields
 * (snake_case). `UserProfile` is what a connector returns from `login`/`getByEmail`;
 * `ImportRecord` is what `exportUsers` yields and adds password hashes.
 */
import type { LegacyHash } from './password-hash';

/** A JSON value, as stored in metadata and checkpoints. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** One MFA factor in Auth0's import shape. */
export type MfaFactor = { totp: { secret: string } } | { phone: { value: string } } | { email: { value: string } };

/**
 * The profile of one legacy user. `user_id` is required and must be stable: the same
 * user always gets the same id, from `login` and from `getByEmail` alike.
 */
export interface UserProfile {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  username?: string;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  blocked?: boolean;
  app_metadata?: JsonObject;
  user_metadata?: JsonObject;
  mfa_factors?: MfaFactor[];
  /**
   * Older Auth0 scripts return `metadata`; it means `app_metadata`. The engine moves it
   * there (Auth0 best practice 4) — connectors may return either.
   */
  metadata?: JsonObject;
}

/** Auth0's `custom_password_hash` object, exactly as its import schema allows. */
export interface Auth0CustomPasswordHash {
  algorithm: 'argon2' | 'bcrypt' | 'hmac' | 'ldap' | 'md4' | 'md5' | 'sha1' | 'sha256' | 'sha512' | 'pbkdf2' | 'scrypt';
  hash: {
    value?: string;
    encoding?: 'base64' | 'hex' | 'utf8';
    digest?: 'md4' | 'md5' | 'ripemd160' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'whirlpool';
    key?: { value: string; encoding?: 'base64' | 'hex' | 'utf8' };
  };
  salt?: { value: string; encoding?: 'base64' | 'hex' | 'utf8'; position?: 'prefix' | 'suffix' };
  password?: { encoding?: 'ascii' | 'utf8' | 'utf16le' | 'ucs2' | 'latin1' | 'binary' };
  keylen?: number;
  cost?: number;
  blockSize?: number;
  parallelization?: number;
}

/**
 * One user as exported for bulk migration. The Auth0 fields are what an Auth0 import
 * file holds (`email` is required there, but a connector may still yield a record
 * without it: the pipeline rejects it with a reason instead of the connector guessing).
 *
 * `ferry_password_hash` carries a legacy hash Auth0 cannot verify (Ferry's structured
 * form); it is never written into Auth0 files, only into Ferry's own store.
 */
export interface ImportRecord extends Omit<UserProfile, 'metadata'> {
  password_hash?: string;
  custom_password_hash?: Auth0CustomPasswordHash;
  ferry_password_hash?: LegacyHash;
}
