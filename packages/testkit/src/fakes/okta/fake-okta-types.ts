/**
 * Options and data of the fake Okta org.
 */

/** Authn transaction states the fake can answer after a right password. */
export type FakeAuthnState =
  | 'SUCCESS'
  | 'PASSWORD_WARN'
  | 'PASSWORD_EXPIRED'
  | 'MFA_REQUIRED'
  | 'MFA_ENROLL'
  | 'MFA_ENROLL_ACTIVATE'
  | 'MFA_CHALLENGE'
  | 'RECOVERY'
  | 'RECOVERY_CHALLENGE'
  | 'PASSWORD_RESET'
  | 'UNAUTHENTICATED';

/** Okta user statuses. */
export type FakeOktaStatus = 'STAGED' | 'PROVISIONED' | 'ACTIVE' | 'RECOVERY' | 'PASSWORD_EXPIRED' | 'LOCKED_OUT' | 'SUSPENDED' | 'DEPROVISIONED';

/** A user of the fake org. */
export interface FakeOktaUserInput {
  /** Okta id (20 characters); generated from the login when omitted. */
  id?: string;
  login: string;
  password: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  status?: FakeOktaStatus;
  /** Extra (custom) profile attributes. */
  profile?: Record<string, string | number | boolean | null>;
  /** Has an active MFA factor: authn answers MFA_REQUIRED, the password grant `mfa_required`. */
  mfa?: boolean;
  /** Must enroll a factor: authn answers MFA_ENROLL. */
  mfaEnroll?: boolean;
  /** Password expires soon: PASSWORD_WARN when the request asks for warnings. */
  passwordWarn?: boolean;
  /** Forces this state after a right password (for states the model above does not reach). */
  authnState?: FakeAuthnState;
}

/** A fixed-window quota. */
export interface FakeRateLimit {
  /** Requests per window. */
  limit: number;
  /** Window length in ms (Okta: 60000). Windows are aligned to whole seconds. */
  windowMs: number;
}

/** A failure injected into matching requests. */
export interface FakeOktaFailure {
  /** Path prefix to match, e.g. `/api/v1/users`. Default: every path. */
  path?: string;
  /** Match only when the `limit` query parameter is above this (Okta's big-page 500). */
  limitAbove?: number;
  /** HTTP status to answer (500, 502, 503…), or `drop` to destroy the socket. */
  fail: number | 'drop';
  /** How many requests to fail; default every one. */
  times?: number;
}

/** Options of {@link startFakeOkta}. */
export interface FakeOktaOptions {
  users?: FakeOktaUserInput[];
  /** The SSWS token the Users API accepts. Default `fake-okta-token`. */
  apiToken?: string;
  /** OAuth clients for the password grant. Default one: `fake-client` / `fake-secret`. */
  clients?: { clientId: string; clientSecret: string }[];
  /** Failed passwords before lockout (Okta password policy). Default 10. */
  lockoutAfter?: number;
  /** Show lockout (authn LOCKED_OUT) or hide it behind a plain 401. Default false (hidden). */
  showLockout?: boolean;
  /** Per-bucket quotas: authentication (`/api/v1/authn`, `/oauth2`) and users. Default unlimited. */
  rateLimits?: { authn?: FakeRateLimit; users?: FakeRateLimit; concurrency?: number };
  /** Latency added to every response, ms (a number or a range). */
  latencyMs?: number | { min: number; max: number };
  /** Injected failures, checked in order. */
  failures?: FakeOktaFailure[];
}

/** Counters of a running fake. */
export interface FakeOktaStats {
  requests: number;
  rateLimited: number;
  concurrencyLimited: number;
  failed: number;
  byRoute: Record<string, number>;
}
