/**
 * The `@ferry/connector-sql` config for a generated database, so the demo, examples and
 * tests describe the generated table in one place.
 */
import type { JsonObject } from '@ferry/core';
import { dialectOf } from './legacy-schema';

/** Options of {@link legacyConnectorConfig}. */
export interface LegacyConnectorConfigOptions {
  /** Table the generator wrote (default `users`). */
  table?: string;
  /** Rows per export page (default 1000). */
  pageSize?: number;
}

/**
 * The `connector.config` body (connector id `sql`) for a database written by
 * `writeLegacyDatabase(url, …)`. Pass the URL as it should appear in ferry.yaml (it may
 * be a `${ENV}` reference; `dialect` then says which database it points at).
 */
export function legacyConnectorConfig(url: string, options: LegacyConnectorConfigOptions = {}, dialect = dialectOf(url)): JsonObject {
  const table = options.table ?? 'users';
  // MariaDB's _ci collation already compares case-insensitively and keeps the index usable.
  const emailMatch = dialect === 'mysql' ? 'email = :email' : 'lower(email) = lower(:email)';
  const columns = 'id, email, username, first_name, last_name, password_hash, password_salt, email_verified, disabled, metadata, preferences';
  return {
    url,
    queries: {
      findByEmail: `SELECT ${columns} FROM ${table} WHERE ${emailMatch}`,
      findByUsername: `SELECT ${columns} FROM ${table} WHERE username = :username`,
      exportPage: `SELECT ${columns} FROM ${table} WHERE id > :after ORDER BY id LIMIT :limit`,
      markMigrated: `UPDATE ${table} SET migrated_at = CURRENT_TIMESTAMP WHERE id = :user_id`,
      // Integer ids: equal key ranges between min and max for parallel bulk workers.
      keyBounds: `SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM ${table}`,
    },
    mapping: {
      user_id: 'id',
      email: 'email',
      email_verified: 'email_verified',
      username: 'username',
      given_name: 'first_name',
      family_name: 'last_name',
      blocked: 'disabled',
      app_metadata: 'metadata',
      user_metadata: 'preferences',
    },
    password: {
      column: 'password_hash',
      digest: { algorithm: 'sha256', encoding: 'hex', saltColumn: 'password_salt', saltEncoding: 'utf8', position: 'prefix' },
    },
    export: { keyColumn: 'id', start: 0, pageSize: options.pageSize ?? 1000 },
  };
}
