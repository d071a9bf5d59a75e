/**
 * The definition Ferry loads for `connector.id: sql`: schema, template and factory.
 * Queries are checked when the config loads, before any database is touched.
 */
import type { ConnectorContext, ConnectorDefinition } from '@ferry/core';
import { sqlConfigSchema, type SqlConnectorConfig } from './config-schema';
import { openDriver } from './drivers/open-driver';
import { parseNamedQuery } from './named-query';
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
  return parsed;
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
    const driver = openDriver({ url: config.url, timeoutMs: config.timeoutMs, poolSize: config.poolSize, baseDir: context.baseDir });
    return new SqlConnector(config, queries, driver, context);
  },
};
