/**
 * The shape of ferry.yaml, its JSON Schema, and its defaults.
 */
import type { HashCostLimits } from '../contracts/password-hash';
import type { JsonObject } from '../contracts/profile';
import type { MigrationMode } from '../engine/engine-types';
import { SERVE_CONFIG_SCHEMA, type ServeConfig } from '../server/serve-config';
import { auth0TargetConfigSchema, type Auth0TargetConfig } from '../bulk/auth0/auth0-target-config';

/** Which connector to use and its settings. */
export interface ConnectorConfig {
  /** The connector's id, e.g. `sql`, `okta`. */
  id: string;
  /**
   * Where the connector comes from: a package name (default `@ferry/connector-<id>`) or
   * a path to a local JavaScript file (relative to ferry.yaml) that exports `connectorModule`.
   */
  package?: string;
  /** The connector's own settings, validated against its schema. */
  config: JsonObject;
}

/** ferry.yaml. */
export interface FerryConfig {
  /** The user store URL: `sqlite:./ferry.db` (default). */
  store: string;
  /** The store connection users of this source belong to (default `default`). */
  connection: string;
  /** The mode until `ferry mode` sets another (default `import`). */
  mode: MigrationMode;
  connector: ConnectorConfig;
  log: { level: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' };
  /** `ferry serve` settings (optional; defaults filled by `resolveServeConfig`). */
  serve?: ServeConfig;
  /** Where `ferry import --to auth0` and `ferry migrate --to auth0` send users. */
  target?: { auth0?: Auth0TargetConfig };
  /** Password hashing: cost limits over the defaults (docs/HASHES.md). */
  hashing?: { limits?: Partial<HashCostLimits> };
}

const limit = (description: string) => ({ type: 'integer', minimum: 1, description }) as const;

/** JSON Schema of ferry.yaml. */
export const FERRY_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['connector'],
  properties: {
    store: {
      type: 'string',
      default: 'sqlite:./ferry.db',
      pattern: '^(sqlite:.+|postgres(ql)?://.+)$',
      'x-hint': "e.g. 'sqlite:./ferry.db'",
    },
    connection: { type: 'string', default: 'default', pattern: '^[A-Za-z0-9_.-]{1,64}$', 'x-hint': 'letters, digits, _ . - (at most 64)' },
    mode: { type: 'string', enum: ['import', 'proxy', 'disconnected'], default: 'import' },
    connector: {
      type: 'object',
      additionalProperties: false,
      required: ['id'],
      properties: {
        id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', 'x-hint': "a connector id such as 'sql' or 'okta'" },
        package: { type: 'string', minLength: 1 },
        config: { type: 'object', default: {} },
      },
    },
    log: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { level: { type: 'string', enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'warn' } },
    },
    serve: SERVE_CONFIG_SCHEMA,
    target: {
      type: 'object',
      additionalProperties: false,
      properties: { auth0: auth0TargetConfigSchema },
    },
    hashing: {
      type: 'object',
      additionalProperties: false,
      properties: {
        limits: {
          type: 'object',
          additionalProperties: false,
          'x-hint': 'keys: maxBcryptCost, maxScryptN, maxScryptMemoryBytes, maxIterations, maxCryptRounds, maxArgon2MemoryKiB, maxArgon2TimeCost',
          properties: {
            maxBcryptCost: limit('highest bcrypt cost (log2 rounds) verified'),
            maxScryptN: limit('highest scrypt N'),
            maxScryptMemoryBytes: limit('most memory one scrypt verify may use'),
            maxIterations: limit('most PBKDF2 iterations'),
            maxCryptRounds: limit('most sha-crypt / phpass / Drupal rounds and Stormpath iterations'),
            maxArgon2MemoryKiB: limit('most memory (KiB) one argon2 verify may use'),
            maxArgon2TimeCost: limit('highest argon2 time cost'),
          },
        },
      },
    },
  },
} as const;
