/**
 * `@ferry/testkit`: realistic legacy data and throwaway database servers for Ferry's
 * tests, demo and benchmarks.
 */
export { passwordFor, SeededRandom, type Seed } from './legacy/seeded-random';
export { md5Crypt, phpassHash } from './legacy/crypt-hashes';
export { FAST_HASH_COSTS, LEGACY_HASH_FORMATS, REALISTIC_HASH_COSTS, legacyHash, type LegacyCredential, type LegacyHashCosts, type LegacyHashFormat } from './legacy/legacy-hashes';
export { generateLegacyUsers, legacyUserAt, type LegacyRowDefect, type LegacyUser, type LegacyUserOptions } from './legacy/legacy-users';
export { dialectOf, legacyTableDdl, LEGACY_COLUMNS, type LegacyDialect } from './legacy/legacy-schema';
export { writeLegacyDatabase, type WriteLegacyDatabaseOptions, type WriteLegacyDatabaseResult } from './legacy/write-legacy-database';
export { legacyConnectorConfig, type LegacyConnectorConfigOptions } from './legacy/legacy-connector-config';
export { freePort, type RunningDatabase } from './servers/running-database';
export { startEmbeddedPostgres, type StartPostgresOptions } from './servers/embedded-postgres';
export { startMariaDb, type StartMariaDbOptions } from './servers/mariadb';
export * from './fakes/okta';
export * from './fakes/stormpath';
export * from './fakes/gigya';
export * from './fakes/auth0';
