/**
 * Options, inspectors and wire shapes of the fake Auth0 Management API.
 */

/** A user already in a connection before any import (what turns imports into DUPLICATED_USER). */
export interface FakeAuth0ExistingUser {
  email: string;
  /** Without the `auth0|` prefix, as in an import file. */
  user_id?: string;
  username?: string;
}

/** A database connection of the fake tenant. */
export interface FakeAuth0Connection {
  /** `con_` + 16 letters or digits. */
  id: string;
  /** e.g. `Username-Password-Authentication`. */
  name: string;
  /** Users present before the first import. */
  users?: FakeAuth0ExistingUser[];
}

/** A token bucket like Auth0's: `burst` requests at once, `ratePerSecond` sustained. */
export interface FakeAuth0RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** Auth0's documented Management API limits: free/non-production and paid production tenants. */
export const FAKE_AUTH0_RATE_TIERS: Readonly<Record<'free' | 'paid', FakeAuth0RateLimit>> = Object.freeze({
  free: { ratePerSecond: 2, burst: 10 },
  paid: { ratePerSecond: 15, burst: 50 },
});

/** How long import jobs take and how long they are kept. */
export interface FakeAuth0JobTiming {
  /** Time spent `pending` after creation. Default 200 ms. */
  pendingMs?: number;
  /** Time spent `processing` (before `completed`). Default 500 ms. */
  processingMs?: number;
  /** Jobs not completed this long after creation fail (Auth0: 2 hours). Default 2 h. */
  failAfterMs?: number;
  /** Jobs (and their errors) are deleted this long after creation (Auth0: 24 hours). Default 24 h. */
  retentionMs?: number;
}

/** Options of {@link startFakeAuth0}. */
export interface FakeAuth0Options {
  /** The tenant domain tokens are issued for (audience `https://{domain}/api/v2/`). Default `ferry-test.auth0.local`. */
  domain?: string;
  /** Machine-to-machine clients allowed the client-credentials grant. Default `fake-m2m-client` / `fake-m2m-secret`. */
  clients?: { clientId: string; clientSecret: string }[];
  /** Lifetime of issued tokens in seconds. Default 86400, as Auth0. */
  tokenLifetimeSeconds?: number;
  /** Database connections. Default one, `Username-Password-Authentication` with id `con_0000000000000001`. */
  connections?: FakeAuth0Connection[];
  /** Management API rate limit: a tier name, explicit numbers, or `false` for none. Default `paid`. */
  rateLimit?: 'free' | 'paid' | FakeAuth0RateLimit | false;
  /** Most import jobs pending or processing at once (Auth0: 2). */
  maxConcurrentJobs?: number;
  /** Job state timing. */
  jobTiming?: FakeAuth0JobTiming;
  /** The clock job states follow (milliseconds since the epoch). Default `Date.now`; tests move it hours ahead. */
  now?: () => number;
  /** Largest users file accepted, bytes (Auth0: 512000). */
  maxUsersFileBytes?: number;
  /**
   * Redact hashes in the users echoed by `GET /jobs/{id}/errors`, as Auth0 does. Default true;
   * false lets tests prove a client drops them itself.
   */
  redactErrorUsers?: boolean;
  /** Make a job fail as a whole: return `status_details` for jobs that should fail. */
  failJob?: (job: { index: number; externalId: string | undefined }) => string | undefined;
}

/** Counters and observations of a running fake. */
export interface FakeAuth0Stats {
  requests: number;
  byRoute: Record<string, number>;
  tokensIssued: number;
  /** 429s for exceeding the request rate (a well-paced client causes none). */
  rateLimitViolations: number;
  /** 429s for a third concurrent import job. */
  concurrentJobRejections: number;
  /** 413s for a users file above the limit. */
  payloadTooLarge: number;
  /** 401s on the Management API. */
  unauthorized: number;
  jobsCreated: number;
  /** Most import jobs pending or processing at the same time. */
  maxConcurrentJobsSeen: number;
  /** Export downloads that carried an Authorization header (a client leaking its token to storage). */
  downloadsWithToken: number;
}

/** Job states of the Management API. */
export type FakeAuth0JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'expired';

/** `summary` of a finished import job. */
export interface FakeAuth0JobSummary {
  failed: number;
  updated: number;
  inserted: number;
  total: number;
}

/** One entry of `GET /api/v2/jobs/{id}/errors`. */
export interface FakeAuth0UserError {
  user: Record<string, unknown>;
  errors: { code: string; message: string; path?: string }[];
}
