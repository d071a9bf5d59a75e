/**
 * The Gigya connector's settings: their TypeScript shape, the JSON Schema the core
 * validates them with (ajv fills the defaults), and the `ferry init` template.
 */
import type { ConnectorConfigSchema } from '@ferry/core';

/** How server credentials travel: the secret itself, or an HMAC-SHA1 signature of each request. */
export type GigyaAuthMode = 'secret' | 'signed';

/** Where accounts for a bulk export come from: the search API, or IdentitySync files. */
export interface GigyaIdentitySyncConfig {
  /** Account files (JSON array, `{results|accounts:[…]}`, NDJSON; `.gz` too), relative to ferry.yaml. */
  files?: string[];
  /** A folder whose `*.json`, `*.jsonl`, `*.ndjson` (and `.gz`) files are read in name order. */
  dir?: string;
}

/** Validated config of the Gigya connector. */
export interface GigyaConfig {
  /** The site's data center, e.g. `us1.gigya.com`. Default `us1.gigya.com`. */
  dataCenter: string;
  /** API root; `{dataCenter}` is replaced. Default `https://accounts.{dataCenter}`. */
  baseUrl: string;
  /** The site's API key. */
  apiKey?: string;
  /** The application (user) key with search and account-read permissions. */
  userKey?: string;
  /** The user key's secret (base64, as the console shows it). */
  secret?: string;
  /** `secret` (default) sends the secret over HTTPS; `signed` sends timestamp, nonce and sig instead. */
  auth: GigyaAuthMode;
  /** `data` fields that go to `app_metadata`; the rest go to `user_metadata`. */
  appMetadataKeys: string[];
  /** Bulk export through `accounts.search` cursors. */
  export: { batchSize: number; where?: string };
  /** Read IdentitySync output files instead of searching (the usual bulk path, with hashes). */
  identitySync?: GigyaIdentitySyncConfig;
  /** Retries of envelope-level transient errors (403048, 409030, 5xxxxx). */
  retries: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Client-side request rate, per second. */
  requestsPerSecond: number;
  /** Per-request timeout in milliseconds (search allows up to 60 s on Gigya's side). */
  timeoutMs: number;
}

/** Gigya's documented data centers (others, e.g. new regions, are accepted by pattern). */
export const GIGYA_DATA_CENTERS = ['us1.gigya.com', 'eu1.gigya.com', 'eu2.gigya.com', 'au1.gigya.com', 'global.gigya.com', 'cn1.sapcdm.cn'] as const;

/** Default API root; `{dataCenter}` is replaced by the configured data center. */
export const DEFAULT_BASE_URL = 'https://accounts.{dataCenter}';

/** JSON Schema of {@link GigyaConfig}. Secrets carry `x-secret`. */
export const GIGYA_CONFIG_SCHEMA: ConnectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  // API access needs all three keys; "API or identitySync" is checked in create().
  dependencies: {
    apiKey: ['userKey', 'secret'],
    userKey: ['apiKey', 'secret'],
    secret: ['apiKey', 'userKey'],
  },
  properties: {
    dataCenter: {
      type: 'string',
      pattern: '^[a-z0-9-]+\\.(gigya\\.com|sapcdm\\.cn)$',
      default: 'us1.gigya.com',
      'x-hint': `the site's data center: ${GIGYA_DATA_CENTERS.join(', ')}`,
    },
    baseUrl: { type: 'string', pattern: '^https?://', default: DEFAULT_BASE_URL, 'x-hint': 'leave the default unless a proxy (or a fake) stands in; {dataCenter} is replaced' },
    apiKey: { type: 'string', minLength: 1, 'x-hint': 'Console > Site Settings > API Key' },
    userKey: { type: 'string', minLength: 1, 'x-hint': 'an application key with accounts.search permission' },
    secret: { type: 'string', minLength: 1, 'x-secret': true, 'x-hint': 'the application secret; use ${GIGYA_SECRET}' },
    auth: { type: 'string', enum: ['secret', 'signed'], default: 'secret' },
    appMetadataKeys: { type: 'array', items: { type: 'string', minLength: 1 }, default: [], 'x-hint': 'top-level keys of the account data object' },
    export: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        batchSize: { type: 'integer', minimum: 1, maximum: 1000, default: 1000 },
        where: { type: 'string', minLength: 1, 'x-hint': 'a Gigya query condition, e.g. isRegistered = true' },
      },
    },
    identitySync: {
      type: 'object',
      additionalProperties: false,
      properties: {
        files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        dir: { type: 'string', minLength: 1 },
      },
    },
    retries: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxAttempts: { type: 'integer', minimum: 1, maximum: 10, default: 4 },
        baseDelayMs: { type: 'integer', minimum: 0, default: 500 },
        maxDelayMs: { type: 'integer', minimum: 0, default: 30000 },
      },
    },
    requestsPerSecond: { type: 'number', exclusiveMinimum: 0, default: 20 },
    timeoutMs: { type: 'integer', minimum: 1000, maximum: 120000, default: 30000 },
  },
};

/** The `config:` body `ferry init --connector gigya` writes. */
export const GIGYA_CONFIG_TEMPLATE = `# Gigya / SAP Customer Data Cloud site (trickle login, lookups, cursor export).
dataCenter: us1.gigya.com            # us1, eu1, eu2, au1, global .gigya.com or cn1.sapcdm.cn
apiKey: \${GIGYA_API_KEY}
userKey: \${GIGYA_USER_KEY}
secret: \${GIGYA_SECRET}
auth: secret                          # or 'signed': timestamp + nonce + HMAC-SHA1 sig
# data fields to put in app_metadata (the rest go to user_metadata):
appMetadataKeys: []
# Bulk export from IdentitySync files (JSON, NDJSON, .gz) instead of accounts.search:
# identitySync:
#   dir: ./identitysync
`;
