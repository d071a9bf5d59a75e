/**
 * The definition Ferry loads for `connector.id: sql`: schema, template and factory.
 * Queries are checked when the config loads, before any database is touched.
 */
import { ConfigError, type ConnectorContext, type ConnectorDefinition } from '@ferry/core';
import { sqlConfigSchema, type SqlConnectorConfig } from './config-schema';
import { openDriver } from './drivers/open-driver';
import { KEY_BOUNDS_COLUMNS } from './key-ranges';
import { parseNamedQuery, unnamedColumns } from './named-query';
import { SqlConnector, type SqlQueries } from './sql-connector';

/** Check every configured query (throws a ConfigError naming the key). */
export function parseQueries(queries: SqlConnectorConfig['queries']): SqlQueries {
  const parsed: SqlQueries = { findByEmail: parseNamedQuery('queries.findByEmail', queries.findByEmail, ['email'], ['email']) };
  if (queries.findByUsername) parsed.findByUsername = parseNamedQuery('queries.findByUsername', queries.findByUsername, ['username'], ['username']);
  if (queries.exportPage) parsed.exportPage = parseNamedQuery('queries.exportPage', queries.exportPage, ['after', 'limit'], ['after', 'limit']);
  if (queries.markMigrated) {
    const q = parseNamedQuery('queries.markMigrated', queries.markMigrated, [], ['user_id', 'email']);
    if (q.params.length === 0) parseNamedQuery(q.key, queries.markMigrated, ['user_id'], ['user_id', 'email']);
    parsed.markMigrated = q;
  }
  if (queries.keyBounds) {
    parsed.keyBounds = parseNamedQuery('queries.keyBounds', queries.keyBounds, [], []);
    const missing = unnamedColumns(queries.keyBounds, KEY_BOUNDS_COLUMNS);
    if (missing.length > 0) {
      throw new ConfigError('query_columns_missing', `queries.keyBounds must return the columns low, high and total (it does not name ${missing.join(', ')}).`, {
        hint: 'e.g. SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM users — the key column of exportPage.',
        details: { key: 'queries.keyBounds', columns: missing },
      });
    }
  }
  if (queries.keyAt) parsed.keyAt = parseNamedQuery('queries.keyAt', queries.keyAt, ['offset'], ['offset']);
  return parsed;
}

/** Partitioning needs exportPage to page with, keyBounds to count, and keyAt for text keys. */
function checkPartitioning(config: SqlConnectorConfig, queries: SqlQueries): void {
  const refuse = (message: string, hint: string, key: string) => new ConfigError('partitioning_incomplete', message, { hint, details: { key } });
  if (queries.keyAt && !queries.keyBounds) {
    throw refuse('queries.keyAt needs queries.keyBounds (the row count to split).', 'Add queries.keyBounds: SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM users.', 'queries.keyAt');
  }
  if (!queries.keyBounds) return;
  if (!queries.exportPage) {
    throw refuse('queries.keyBounds needs queries.exportPage (each partition pages through it).', 'Add queries.exportPage, e.g. SELECT * FROM users WHERE id > :after ORDER BY id LIMIT :limit.', 'queries.keyBounds');
  }
  if (typeof config.export.start === 'string' && !queries.keyAt) {
    throw refuse(
      'Text export keys (export.start is a string) need queries.keyAt to split the export: Ferry never computes text keys itself.',
      'Add queries.keyAt: SELECT id FROM users ORDER BY id LIMIT 1 OFFSET :offset (or make export.start a number for integer keys).',
      'queries.keyAt',
    );
  }
}

/** Fill the defaults ajv may not reach (a nested object defaulted to `{}`). */
function withDefaults(config: SqlConnectorConfig): SqlConnectorConfig {
  const digest = config.password.digest;
  return {
    ...config,
    timeoutMs: config.timeoutMs ?? 10_000,
    poolSize: config.poolSize ?? 10,
    password: { ...config.password, ...(digest ? { digest: { ...digest, saltEncoding: digest.saltEncoding ?? 'utf8', position: digest.position ?? 'prefix' } } : {}) },
    export: { start: 0, pageSize: 1000, passwordless: 'export', ...(config.export as Partial<SqlConnectorConfig['export']> | undefined) },
  };
}

const configTemplate = `# A legacy users table in SQLite, PostgreSQL or MySQL/MariaDB.
url: \${LEGACY_DATABASE_URL}   # sqlite:./legacy.db | postgres://… | mysql://… | mariadb://…
queries:
  findByEmail: SELECT * FROM users WHERE lower(email) = lower(:email)
  findByUsername: SELECT * FROM users WHERE username = :username
  exportPage: SELECT * FROM users WHERE id > :after ORDER BY id LIMIT :limit
  markMigrated: UPDATE users SET migrated_at = CURRENT_TIMESTAMP WHERE id = :user_id
  # For parallel bulk workers (key ranges; text keys also need keyAt):
  # keyBounds: SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM users
  # keyAt: SELECT id FROM users ORDER BY id LIMIT 1 OFFSET :offset
mapping:
  user_id: id
  email: email
  email_verified: email_verified
  given_name: first_name
  family_name: last_name
  blocked: disabled
  app_metadata: metadata     # a JSON column
password:
  column: password_hash      # $2b$…, pbkdf2_sha256$…, $P$…, $1$… are recognised
  # digest:                  # only for raw salted digests
  #   algorithm: sha256
  #   encoding: hex
  #   saltColumn: salt
  #   position: prefix
`;

/** The `sql` connector definition. */
export const sqlConnectorDefinition: ConnectorDefinition<SqlConnectorConfig> = {
  id: 'sql',
  description: 'A legacy users table in SQLite, PostgreSQL or MySQL/MariaDB',
  configSchema: sqlConfigSchema,
  configTemplate,
  create(raw: SqlConnectorConfig, context: ConnectorContext) {
    const config = withDefaults(raw);
    const queries = parseQueries(config.queries);
    checkPartitioning(config, queries);
    const driver = openDriver({ url: config.url, timeoutMs: config.timeoutMs, poolSize: config.poolSize, baseDir: context.baseDir });
    return new SqlConnector(config, queries, driver, context);
  },
};
