/**
 * Reading the password column. Self-describing hashes (`$2b$…`, `pbkdf2_sha256$…`,
 * ASP.NET blobs) pass through as strings for the core to identify; raw digests, when
 * declared, become Ferry's structured hash (Auth0's `custom_password_hash` shape).
 */
import type { LegacyHash } from '@ferry/core';
import type { DigestAlgorithm, SqlConnectorConfig } from './config-schema';
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
  const raw = row[password.column];
  if (raw === null || raw === undefined) return null;
  const digest = password.digest;
  // Binary columns (BINARY(32), bytea) hold the digest bytes themselves.
  const value = Buffer.isBuffer(raw) ? (digest ? raw.toString(digest.encoding) : raw.toString('utf8')) : String(raw).trim();
  if (value === '') return null;
  if (!digest || !isDeclaredDigest(value, digest.algorithm, digest.encoding)) return value;
  const saltRaw = digest.saltColumn === undefined ? undefined : row[digest.saltColumn];
  const salt = saltRaw === null || saltRaw === undefined ? '' : Buffer.isBuffer(saltRaw) ? saltRaw.toString(digest.saltEncoding === 'utf8' ? 'base64' : digest.saltEncoding) : String(saltRaw);
  const saltEncoding = Buffer.isBuffer(saltRaw) && digest.saltEncoding === 'utf8' ? 'base64' : digest.saltEncoding;
  return {
    algorithm: digest.algorithm,
    hash: { value, encoding: digest.encoding },
    ...(salt === '' ? {} : { salt: { value: salt, encoding: saltEncoding, position: digest.position } }),
  };
}
