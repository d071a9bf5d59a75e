/**
 * `@ferry/connector-sql`: migrate users out of a legacy SQL users table (SQLite,
 * PostgreSQL, MySQL/MariaDB) with the queries and column mapping from ferry.yaml.
 */
import { ContainerModule } from 'inversify';
import { ConnectorDefinition } from '@ferry/core';
import { sqlConnectorDefinition } from './sql-definition';

export { sqlConnectorDefinition, parseQueries } from './sql-definition';
export { sqlConfigSchema, type SqlConnectorConfig, type ColumnMapping, type DigestConfig, type DigestAlgorithm } from './config-schema';
export { SqlConnector, type SqlQueries } from './sql-connector';
export { parseNamedQuery, compileQuery, type NamedQuery, type CompiledQuery } from './named-query';

/** Binds the `sql` connector definition (what Ferry's connector loader looks for). */
export const connectorModule = new ContainerModule((options) => {
  options.bind(ConnectorDefinition).toConstantValue(sqlConnectorDefinition as unknown as ConnectorDefinition);
});
