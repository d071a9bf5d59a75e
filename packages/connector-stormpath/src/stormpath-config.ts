/**
 * The connector's configuration: where the Stormpath(-compatible) API lives, which
 * application to log in against, and where an export directory is for bulk runs.
 */
import type { ConnectorConfigSchema } from '@ferry/core';

/** Stormpath's hosted API, gone since 2017; compatible services take `baseUrl`. */
export const DEFAULT_BASE_URL = 'https://api.stormpath.com/v1';

/** Validated `connector.config` for `id: stormpath`. */
export interface StormpathConfig {
  /** API root including `/v1`. Default {@link DEFAULT_BASE_URL}. */
  baseUrl?: string;
  /** The application whose account stores logins and lookups go through. */
  applicationId?: string;
  /** API key id (HTTP Basic user name). */
  apiKeyId?: string;
  /** API key secret (HTTP Basic password). */
  apiKeySecret?: string;
  /** Optional account store href to target logins at one directory or group. */
  accountStore?: string;
  /** customData keys that go to `app_metadata` instead of `user_metadata`. */
  appMetadataKeys?: string[];
  /** An export directory (`stormpath-export` or support layout) for bulk runs; relative to ferry.yaml. */
  exportDir?: string;
  /** Client-side request rate, per second. Default 10. */
  requestsPerSecond?: number;
}

/** JSON Schema of {@link StormpathConfig}: API credentials, an export directory, or both. */
export const stormpathConfigSchema: ConnectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  // API access needs all three; "API or exportDir" is checked in create() (ajv's strict
  // mode refuses `required` inside anyOf).
  dependencies: {
    applicationId: ['apiKeyId', 'apiKeySecret'],
    apiKeyId: ['applicationId', 'apiKeySecret'],
    apiKeySecret: ['applicationId', 'apiKeyId'],
  },
  properties: {
    baseUrl: { type: 'string', format: 'uri', default: DEFAULT_BASE_URL, 'x-hint': 'the API root including /v1' },
    applicationId: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', 'x-hint': 'the last path segment of the application href' },
    apiKeyId: { type: 'string', minLength: 1, 'x-hint': 'apiKey.id from apiKey.properties' },
    apiKeySecret: { type: 'string', minLength: 1, 'x-secret': true, 'x-hint': 'apiKey.secret from apiKey.properties; use ${STORMPATH_API_KEY_SECRET}' },
    accountStore: { type: 'string', format: 'uri', 'x-hint': 'a directory or group href' },
    appMetadataKeys: { type: 'array', items: { type: 'string', pattern: '^[^.$]+$' }, default: [], 'x-hint': 'customData keys without . or $' },
    exportDir: { type: 'string', minLength: 1, 'x-hint': 'the folder stormpath-export or Stormpath support produced' },
    requestsPerSecond: { type: 'number', exclusiveMinimum: 0, default: 10 },
  },
};

/** The `config:` body `ferry init --connector stormpath` writes. */
export const stormpathConfigTemplate = `# Stormpath API (or a compatible service); needed for trickle login and getUser.
baseUrl: ${DEFAULT_BASE_URL}
applicationId: 1gk4Dxzi6o4PbdlEXampLE   # last segment of the application href
apiKeyId: \${STORMPATH_API_KEY_ID}
apiKeySecret: \${STORMPATH_API_KEY_SECRET}
# accountStore: https://api.stormpath.com/v1/directories/...   # optional
# customData keys to put in app_metadata (the rest go to user_metadata):
appMetadataKeys: []
# A stormpath-export or support export folder for bulk migration (with password hashes):
# exportDir: ./stormpath-export
`;
