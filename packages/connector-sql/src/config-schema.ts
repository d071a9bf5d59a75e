/**
 * The SQL connector's configuration: a connection URL, the queries Ferry runs, how
 * result columns map onto the profile, and how the password column is stored.
 */
import type { ConnectorConfigSchema } from '@ferry/core';

/** Digests a raw (not self-describing) password column can hold. */
export type DigestAlgorithm = 'md5' | 'sha1' | 'sha256' | 'sha512';

/** How a raw salted digest is stored. */
export interface DigestConfig {
  algorithm: DigestAlgorithm;
  /** How the digest column is encoded. */
  encoding: 'hex' | 'base64';
  /** Column holding the per-user salt (none: unsalted digest). */
  saltColumn?: string;
  /** How the salt column is encoded (default utf8: the salt text is hashed as is). */
  saltEncoding: 'utf8' | 'hex' | 'base64';
  /** digest(salt‖password) is `prefix`, digest(password‖salt) is `suffix`. */
  position: 'prefix' | 'suffix';
}

/** Profile fields and the result columns that fill them. */
export interface ColumnMapping {
  user_id: string;
  email: string;
  email_verified?: string;
  username?: string;
  given_name?: string;
  family_name?: string;
  name?: string;
  nickname?: string;
  picture?: string;
  blocked?: string;
  app_metadata?: string;
  user_metadata?: string;
}

/** The validated `connector.config` of connector `sql`. */
export interface SqlConnectorConfig {
  url: string;
  timeoutMs: number;
  poolSize: number;
  queries: { findByEmail: string; findByUsername?: string; exportPage?: string; markMigrated?: string; keyBounds?: string; keyAt?: string };
  mapping: ColumnMapping;
  password: { column: string; digest?: DigestConfig };
  export: { keyColumn?: string; start: string | number; pageSize: number; passwordless: 'export' | 'reject' };
}

const column = { type: 'string', minLength: 1, pattern: '^[^\\s]+$' };
const query = { type: 'string', minLength: 1 };

/** JSON Schema of {@link SqlConnectorConfig} (validated by the core; defaults filled in). */
export const sqlConfigSchema: ConnectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url', 'queries', 'mapping', 'password'],
  properties: {
    url: {
      type: 'string',
      pattern: '^(sqlite:|postgres(ql)?://|mysql://|mariadb://)',
      'x-secret': true,
      'x-hint': "sqlite:./legacy.db, postgres://user:${PGPASSWORD}@host/db or mysql://user:${DB_PASSWORD}@host/db (mariadb:// works too)",
    },
    timeoutMs: { type: 'integer', minimum: 100, default: 10000, 'x-hint': 'connect and query timeout in milliseconds' },
    poolSize: { type: 'integer', minimum: 1, maximum: 100, default: 10 },
    queries: {
      type: 'object',
      additionalProperties: false,
      required: ['findByEmail'],
      properties: {
        findByEmail: { ...query, 'x-hint': 'a SELECT with :email, e.g. SELECT * FROM users WHERE lower(email) = lower(:email)' },
        findByUsername: { ...query, 'x-hint': 'a SELECT with :username' },
        exportPage: { ...query, 'x-hint': 'a keyset page with :after and :limit, e.g. SELECT * FROM users WHERE id > :after ORDER BY id LIMIT :limit' },
        markMigrated: { ...query, 'x-hint': 'an UPDATE with :user_id (or :email), e.g. UPDATE users SET migrated_at = CURRENT_TIMESTAMP WHERE id = :user_id' },
        keyBounds: { ...query, 'x-hint': 'for parallel bulk workers: SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM users' },
        keyAt: { ...query, 'x-hint': 'the key at a row offset, for text keys or even partitions: SELECT id FROM users ORDER BY id LIMIT 1 OFFSET :offset' },
      },
    },
    mapping: {
      type: 'object',
      additionalProperties: false,
      required: ['user_id', 'email'],
      'x-hint': 'profile field: result column',
      properties: Object.fromEntries(
        ['user_id', 'email', 'email_verified', 'username', 'given_name', 'family_name', 'name', 'nickname', 'picture', 'blocked', 'app_metadata', 'user_metadata'].map((k) => [k, column]),
      ),
    },
    password: {
      type: 'object',
      additionalProperties: false,
      required: ['column'],
      properties: {
        column: { ...column, 'x-hint': 'the column holding the password hash' },
        digest: {
          type: 'object',
          additionalProperties: false,
          required: ['algorithm', 'encoding'],
          'x-hint': 'only for raw digests; self-describing hashes ($2b$…, pbkdf2_sha256$…) are identified automatically',
          properties: {
            algorithm: { enum: ['md5', 'sha1', 'sha256', 'sha512'] },
            encoding: { enum: ['hex', 'base64'] },
            saltColumn: column,
            saltEncoding: { enum: ['utf8', 'hex', 'base64'], default: 'utf8' },
            position: { enum: ['prefix', 'suffix'], default: 'prefix', 'x-hint': 'prefix: digest(salt + password); suffix: digest(password + salt)' },
          },
        },
      },
    },
    export: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        keyColumn: { ...column, 'x-hint': 'the column exportPage orders by (default: mapping.user_id)' },
        start: { type: ['string', 'integer'], default: 0, 'x-hint': 'a key below every real key (0 for numeric ids, "" for text ids)' },
        pageSize: { type: 'integer', minimum: 1, maximum: 100000, default: 1000 },
        passwordless: { enum: ['export', 'reject'], default: 'export', 'x-hint': 'rows with a NULL password: export without a hash, or report them as rejects' },
      },
    },
  },
};
