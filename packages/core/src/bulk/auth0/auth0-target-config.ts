/**
 * The `target.auth0` section of ferry.yaml: its TypeScript shape, its JSON Schema
 * (ajv fills the defaults; the secret is marked `x-secret`) and Auth0's rate tiers.
 */
import type { ConnectorConfigSchema } from '../../contracts/connector';

/** A Management API request rate: `burst` at once, then `ratePerSecond`. */
export interface Auth0RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** Auth0's documented tiers (`free`: free and non-production tenants; `paid`: paid production), or explicit numbers. */
export type Auth0RateTier = 'free' | 'paid' | Auth0RateLimit;

/** The Management API limits of Auth0's tiers. */
export const AUTH0_RATE_TIERS: Readonly<Record<'free' | 'paid', Readonly<Auth0RateLimit>>> = Object.freeze({
  free: Object.freeze({ ratePerSecond: 2, burst: 10 }),
  paid: Object.freeze({ ratePerSecond: 15, burst: 50 }),
});

/** Auth0 runs at most this many import jobs per tenant at once. */
export const AUTH0_MAX_CONCURRENT_JOBS = 2;

/** Resolve a tier name to its numbers. */
export function auth0RateLimit(tier: Auth0RateTier): Auth0RateLimit {
  return typeof tier === 'string' ? { ...AUTH0_RATE_TIERS[tier] } : tier;
}

/** Validated `target.auth0` settings. */
export interface Auth0TargetConfig {
  /** Tenant domain, e.g. `acme.eu.auth0.com` (or a custom domain). */
  domain: string;
  /** Client id of a machine-to-machine application authorized for the Management API (`create:users`, `read:users`). */
  clientId: string;
  /** Its client secret. */
  clientSecret: string;
  /** The database connection users are imported into (`con_…`). */
  connectionId: string;
  /** Update users that already exist (matched by email) instead of failing them. Default false. */
  upsert: boolean;
  /** Ask Auth0 to email tenant admins when each job ends. Auth0 defaults to true; Ferry to false. */
  sendCompletionEmail: boolean;
  /** Rate tier of the tenant. Default `free` (the safe choice). */
  tier: Auth0RateTier;
  /** Import jobs in flight at once, 1 or 2. Default 2. */
  maxJobsInFlight: number;
  /** Where requests go instead of `https://{domain}` (a proxy, or a fake in tests). */
  baseUrl?: string;
}

/** JSON Schema of {@link Auth0TargetConfig}. */
export const auth0TargetConfigSchema: ConnectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['domain', 'clientId', 'clientSecret', 'connectionId'],
  properties: {
    domain: { type: 'string', pattern: '^[A-Za-z0-9.-]+(:[0-9]+)?$', 'x-hint': 'the tenant domain without https://, e.g. acme.eu.auth0.com' },
    clientId: { type: 'string', minLength: 1, 'x-hint': 'a machine-to-machine application authorized for the Management API' },
    clientSecret: { type: 'string', minLength: 1, 'x-secret': true, 'x-hint': 'use ${AUTH0_CLIENT_SECRET}' },
    connectionId: { type: 'string', pattern: '^con_[A-Za-z0-9]{16}$', 'x-hint': 'Authentication > Database > your connection: the con_… identifier' },
    upsert: { type: 'boolean', default: false },
    sendCompletionEmail: { type: 'boolean', default: false, 'x-hint': 'Auth0 defaults to true; Ferry sends false unless asked' },
    tier: {
      default: 'free',
      oneOf: [
        { type: 'string', enum: ['free', 'paid'] },
        {
          type: 'object',
          additionalProperties: false,
          required: ['ratePerSecond', 'burst'],
          properties: { ratePerSecond: { type: 'number', exclusiveMinimum: 0 }, burst: { type: 'integer', minimum: 1 } },
        },
      ],
      'x-hint': 'free (2 requests/s, burst 10), paid (15/s, burst 50), or { ratePerSecond, burst }',
    },
    maxJobsInFlight: { type: 'integer', minimum: 1, maximum: AUTH0_MAX_CONCURRENT_JOBS, default: AUTH0_MAX_CONCURRENT_JOBS },
    baseUrl: { type: 'string', format: 'uri', pattern: '^https?://[^/?#]+/?$' },
  },
};
