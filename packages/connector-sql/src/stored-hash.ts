/**
 * Reading the password column. Self-describing hashes (`$2b$…`, `pbkdf2_sha256$…`,
 * ASP.NET blobs) pass through as strings for the core to identify; raw digests, when
 * declared, become Ferry's structured hash (Auth0's `custom_password_hash` shape).
 */
import type { LegacyHash } from '@ferry/core';
import type { DigestAlgorithm, DigestConfig, SqlConnectorConfig } from './config-schema';
import type { SqlRow } from './drivers/sql-driver';

const DIGEST_BYTES: Record<DigestAlgorithm, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };

/** True when `value` has exactly the shape of the declared digest (so no self-describing format). */
function isDeclaredDigest(value: string, algorithm: DigestAlgorithm, encoding: 'hex' | 'base64'): boolean {
  const bytes = DIGEST_BYTES[algorithm];
  if (encoding === 'hex') return value.length === bytes * 2 && /^[0-9a-fA-F]+$/.test(value);
  return value.length === Math.ceil(bytes / 3) * 4 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);
}

/** The stored hash of `row`, or null when the password column is NULL or empty. */
export function storedHash(row: SqlRow, password: SqlConnectorConfig['password']): LegacyHash | null {
  const saltColumn = password.digest?.saltColumn;
  return hashOf(row[password.column], saltColumn === undefined ? undefined : row[saltColumn], password.digest);
}

/** The stored hash from the password column's value and the salt column's, or null when there is none. */
export function hashOf(raw: unknown, saltRaw: unknown, digest: DigestConfig | undefined): LegacyHash | null {
  if (raw === null || raw === undefined) return null;
  // Binary columns (BINARY(32), bytea) hold the digest bytes themselves.
  const value = Buffer.isBuffer(raw) ? (digest ? raw.toString(digest.encoding) : raw.toString('utf8')) : typeof raw === 'string' ? raw.trim() : String(raw).trim();
  if (value === '') return null;
  if (!digest || !isDeclaredDigest(value, digest.algorithm, digest.encoding)) return value;
  const salt = saltRaw === null || saltRaw === undefined ? '' : Buffer.isBuffer(saltRaw) ? saltRaw.toString(digest.saltEncoding === 'utf8' ? 'base64' : digest.saltEncoding) : String(saltRaw);
  const saltEncoding = Buffer.isBuffer(saltRaw) && digest.saltEncoding === 'utf8' ? 'base64' : digest.saltEncoding;
  return {
    algorithm: digest.algorithm,
    hash: { value, encoding: digest.encoding },
    ...(salt === '' ? {} : { salt: { value: salt, encoding: saltEncoding, position: digest.position } }),
  };
}

const HEX_BYTES = /^(?:[0-9a-fA-F]{2})*$/;

/**
 * True when the core's structured-hash parser would accept `stored`, built by
 * {@link hashOf} from a declared hex digest, unchanged as Auth0's `custom_password_hash`:
 * the digest was already checked (length and alphabet, the decodeHex rules), a UTF-8 salt
 * is any text, and a hex salt is whole hex bytes. Base64 values take the core's strict
 * (canonical-encoding) path instead.
 */
export function isReadyCustomHash(stored: Exclude<LegacyHash, string>, digest: DigestConfig): boolean {
  if (digest.encoding !== 'hex') return false;
  const salt = stored.salt as { value: string; encoding: string } | undefined;
  return salt === undefined || salt.encoding === 'utf8' || (salt.encoding === 'hex' && HEX_BYTES.test(salt.value));
}
