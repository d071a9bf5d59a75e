/**
 * The `serve:` section of ferry.yaml: where `ferry serve` listens, how callers
 * authenticate, how hard logins are throttled, and which adapters are on.
 */
import { validateConfig } from '../config/validate';
import { ConfigError } from '../errors';

/** A static API key for systems that only send a shared secret (Keycloak plugin, Kratos, Okta hooks). */
export interface ServeApiKey {
  /** A name for logs, metrics and throttling (never the key itself). */
  name: string;
  /** The secret (≥ 24 characters); write it as `${ENV_VAR}`. */
  key: string;
  /** Scopes this key grants, checked like a token's scopes. */
  scopes?: string[];
}

/** Bearer-JWT verification settings. */
export interface ServeJwtConfig {
  /** Required `iss`, e.g. `https://tenant.eu.auth0.com/`. */
  issuer: string;
  /** Required `aud` (the API identifier). */
  audience: string;
  /** Accepted `alg` values (never `none`), e.g. `[RS256]`. */
  algorithms: string[];
  /** The issuer's JWKS (cached, refetched on an unknown `kid`). */
  jwksUri?: string;
  /** Or a static public key (PEM, SPKI) for asymmetric algorithms. */
  publicKey?: string;
  /** Or a shared secret for HS256/384/512. */
  secret?: string;
  /** The subject must end with this (default `@clients`, Auth0's client-credentials subject); `''` accepts any. */
  subjectSuffix?: string;
  /** Clock skew tolerated on `exp`/`nbf`, in seconds (default 5). */
  clockToleranceSec?: number;
  /** Least time between two JWKS fetches, in seconds (default 30): an unknown `kid` refetches at most this often. */
  jwksCooldownSec?: number;
}

/** Token-bucket settings: `burst` attempts at once, refilled at `perMinute`. */
export interface ServeThrottleRule {
  burst: number;
  perMinute: number;
}

/** The route ids scopes can be required for. */
export const SERVE_ROUTE_IDS = ['login', 'get_user', 'create_user', 'change_password', 'verify_email', 'delete_user', 'keycloak', 'kratos', 'okta'] as const;
/** A route id of {@link SERVE_ROUTE_IDS}. */
export type ServeRouteId = (typeof SERVE_ROUTE_IDS)[number];

/** `serve:` in ferry.yaml. */
export interface ServeConfig {
  host: string;
  port: number;
  /**
   * `engine`: every route runs the migration engine (migrates in `import` mode).
   * `connector`: a pure proxy for another identity system; routes call only the connector, never the store.
   */
  backend: 'engine' | 'connector';
  /** Largest request body in bytes (default 16 KiB). */
  bodyLimit: number;
  /** Longest a legacy call may take before the request answers 503 `legacy_timeout` (default 10 s, below Auth0's 20 s). */
  legacyTimeoutMs: number;
  /** Longest a whole request may take (default 15 s). */
  requestTimeoutMs: number;
  auth: {
    jwt?: ServeJwtConfig;
    apiKeys?: ServeApiKey[];
    /** Scopes required per route id (any of `scope`, `scp` or `permissions` in the token). */
    scopes?: Partial<Record<ServeRouteId, string[]>>;
  };
  throttle: {
    /** Login attempts per identifier (all clients together); a successful login gives its attempt back. */
    identifier: ServeThrottleRule;
    /** Login attempts per client (token subject or API key name). */
    client: ServeThrottleRule;
  };
  adapters: { keycloak: boolean; kratos: boolean; okta: boolean };
  /** Expose `/metrics` (default true). */
  metrics: boolean;
  /** Failed logins are answered no sooner than this many ms after they arrive, at most (cap of the learned floor; default 2000). */
  maxFailureFloorMs: number;
  /**
   * Password hashes (verify or hash) computed at once; further logins wait their turn in
   * arrival order. Default: one per core, leaving a thread of libuv's pool free (see hash-slots.ts).
   */
  hashConcurrency?: number;
}

const rule = (burst: number, perMinute: number) => ({
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    burst: { type: 'integer', minimum: 1, default: burst },
    perMinute: { type: 'number', exclusiveMinimum: 0, default: perMinute },
  },
});

const scopeList = { type: 'array', items: { type: 'string', minLength: 1 } };

/** JSON Schema of `serve:` (referenced from the ferry.yaml schema). */
export const SERVE_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', default: '127.0.0.1', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: 8787 },
    backend: { type: 'string', enum: ['engine', 'connector'], default: 'engine' },
    bodyLimit: { type: 'integer', minimum: 1024, maximum: 1048576, default: 16384 },
    legacyTimeoutMs: { type: 'integer', minimum: 100, maximum: 60000, default: 10000 },
    requestTimeoutMs: { type: 'integer', minimum: 100, maximum: 120000, default: 15000 },
    auth: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        jwt: {
          type: 'object',
          additionalProperties: false,
          required: ['issuer', 'audience', 'algorithms'],
          properties: {
            issuer: { type: 'string', minLength: 1 },
            audience: { type: 'string', minLength: 1 },
            algorithms: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', enum: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'HS256', 'HS384', 'HS512'] },
              'x-hint': "e.g. [RS256]; 'none' is never accepted",
            },
            jwksUri: { type: 'string', pattern: '^https?://', 'x-hint': "e.g. 'https://TENANT.auth0.com/.well-known/jwks.json' (http only for localhost, 127.0.0.0/8 and ::1)" },
            publicKey: { type: 'string', minLength: 1 },
            secret: { type: 'string', minLength: 32, 'x-secret': true, 'x-hint': 'at least 32 characters; write it as ${ENV_VAR}' },
            subjectSuffix: { type: 'string', default: '@clients' },
            clockToleranceSec: { type: 'integer', minimum: 0, maximum: 300, default: 5 },
            jwksCooldownSec: { type: 'integer', minimum: 0, maximum: 3600, default: 30 },
          },
        },
        apiKeys: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'key'],
            properties: {
              name: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' },
              key: { type: 'string', minLength: 24, 'x-secret': true, 'x-hint': 'at least 24 random characters; write it as ${ENV_VAR}' },
              scopes: scopeList,
            },
          },
        },
        scopes: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(SERVE_ROUTE_IDS.map((id) => [id, scopeList])),
        },
      },
    },
    throttle: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: { identifier: rule(10, 5), client: rule(200, 6000) },
    },
    adapters: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        keycloak: { type: 'boolean', default: false },
        kratos: { type: 'boolean', default: false },
        okta: { type: 'boolean', default: false },
      },
    },
    metrics: { type: 'boolean', default: true },
    maxFailureFloorMs: { type: 'integer', minimum: 0, maximum: 10000, default: 2000 },
    hashConcurrency: { type: 'integer', minimum: 1, maximum: 1024, 'x-hint': 'default: the number of cores (at most UV_THREADPOOL_SIZE − 1)' },
  },
} as const;

/**
 * The effective `serve:` settings: `raw` (from ferry.yaml, possibly absent) validated with
 * every default filled, and checked for what the schema alone cannot say.
 */
export function resolveServeConfig(raw: unknown): ServeConfig {
  const config = validateConfig<ServeConfig>(SERVE_CONFIG_SCHEMA, structuredClone(raw ?? {}), 'ferry.yaml', 'serve');
  const jwt = config.auth.jwt;
  if (jwt !== undefined) {
    const sources = [jwt.jwksUri, jwt.publicKey, jwt.secret].filter((s) => s !== undefined).length;
    if (sources !== 1) {
      throw new ConfigError('serve_jwt_key_invalid', 'serve.auth.jwt needs exactly one of jwksUri, publicKey or secret.', {
        hint: "For Auth0 use jwksUri: 'https://TENANT.auth0.com/.well-known/jwks.json'.",
      });
    }
    if (jwt.jwksUri !== undefined) checkJwksUri(jwt.jwksUri);
    const hmac = jwt.algorithms.filter((a) => a.startsWith('HS'));
    if ((jwt.secret !== undefined) !== (hmac.length === jwt.algorithms.length)) {
      throw new ConfigError('serve_jwt_algorithms_invalid', 'serve.auth.jwt.algorithms must be HS* with a secret, and asymmetric (RS256, ES256, …) with jwksUri or publicKey.', {
        hint: 'Never mix shared-secret and public-key algorithms: that opens algorithm-confusion attacks.',
      });
    }
  }
  if (jwt === undefined && (config.auth.apiKeys ?? []).length === 0) {
    throw new ConfigError('serve_auth_missing', 'ferry serve needs serve.auth.jwt or at least one serve.auth.apiKeys entry: it never runs unauthenticated.', {
      hint: 'See docs/SERVE.md, "Auth setup".',
    });
  }
  const names = new Set<string>();
  for (const k of config.auth.apiKeys ?? []) {
    if (names.has(k.name)) throw new ConfigError('serve_api_key_duplicate', `serve.auth.apiKeys has two keys named '${k.name}'.`, { hint: 'Give each key its own name.' });
    names.add(k.name);
  }
  return config;
}

/** Loopback hosts: plain http to them never crosses a network (tests run a local issuer). */
const isLoopback = (hostname: string): boolean => hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);

/** The JWKS must come over https: whoever can swap the keys can mint tokens this server accepts. */
function checkJwksUri(uri: string): void {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new ConfigError('serve_jwks_uri_invalid', 'serve.auth.jwt.jwksUri is not a valid URL.', { hint: "For Auth0 use jwksUri: 'https://TENANT.auth0.com/.well-known/jwks.json'." });
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ConfigError(
      'serve_jwks_uri_insecure',
      `serve.auth.jwt.jwksUri must use https: signing keys fetched over plain http from ${url.host} can be swapped by anyone on the network path, who could then mint tokens ferry serve accepts.`,
      { hint: "Use the issuer's https URL (for Auth0 'https://TENANT.auth0.com/.well-known/jwks.json'); http is accepted only for localhost, 127.0.0.0/8 and [::1]." },
    );
  }
}
