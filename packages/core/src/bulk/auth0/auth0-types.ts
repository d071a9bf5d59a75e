/**
 * Management API shapes Ferry reads (import jobs, their summaries and errors, users by
 * email or id) and the secret-free forms it hands on.
 */

/** Job states of the Management API. */
export type Auth0JobStatus = 'pending' | 'processing' | 'completed' | 'failed' | 'expired';

/** Totals of a finished import job. */
export interface Auth0JobSummary {
  inserted: number;
  updated: number;
  failed: number;
  total: number;
}

/** `GET /api/v2/jobs/{id}` (and the 202 of `POST /api/v2/jobs/users-imports`). */
export interface Auth0Job {
  id: string;
  status: Auth0JobStatus;
  type: string;
  connection_id?: string;
  connection?: string;
  external_id?: string;
  created_at?: string;
  percentage_done?: number;
  time_left_seconds?: number;
  summary?: Auth0JobSummary;
  status_details?: string;
}

/**
 * One user Auth0 could not import: ids and the reason only. Auth0 echoes the whole user
 * (hash included, sometimes unredacted); Ferry keeps none of the rest.
 */
export interface Auth0UserError {
  user_id?: string;
  email?: string;
  code: string;
  message: string;
  /** The offending field, when Auth0 names one. */
  path?: string;
  /** Every code Auth0 gave this user, when it gave more than one (`code` is the first). */
  codes?: string[];
  /**
   * Ferry's reading where it knows more than Auth0's code (`message` says why):
   * - `already_imported_by_interrupted_job`: a DUPLICATED_USER from a file sent again after
   *   an interrupted send, whose lost job probably imported the user (skipped);
   * - `already_in_tenant`: a DUPLICATED_USER whose `auth0|{user_id}` is a user of the
   *   connection, found by email or, when its email there differs, by id: the legacy user
   *   is there already (skipped);
   * - `email_in_use`: a DUPLICATED_USER whose email belongs to someone else (a sign-up, another
   *   legacy user earlier in the file): this user was not imported (rejected);
   * - `duplicated_user`: a DUPLICATED_USER Ferry could not match to this user (its user_id
   *   held in another connection, a username held by someone else, or no email or user_id to
   *   look up): not imported (rejected).
   */
  verdict?: Auth0UserVerdict;
}

/** {@link Auth0UserError.verdict}. */
export type Auth0UserVerdict = 'already_imported_by_interrupted_job' | 'already_in_tenant' | 'email_in_use' | 'duplicated_user';

/** A user of the tenant as `GET /api/v2/users-by-email` or `GET /api/v2/users/{id}` gives it: ids only. */
export interface Auth0TenantUser {
  /** With its provider prefix, e.g. `auth0|legacy-7`. */
  user_id: string;
  email?: string;
  /** The connections the user belongs to. */
  identities?: { connection?: string; provider?: string; user_id?: string }[];
}

/** `GET /api/v2/jobs/{id}/errors`: per-user errors, or why a failed job failed as a whole. */
export interface Auth0JobErrors {
  users: Auth0UserError[];
  /** `status_details` of a job that failed as a whole. */
  statusDetails?: string;
}

/** Options of one import job. */
export interface Auth0ImportJobOptions {
  connectionId: string;
  /** Update existing users (matched by email). Default false. */
  upsert?: boolean;
  /** Correlates jobs of one run (returned in job status). */
  externalId?: string;
  /** Default false (Auth0's own default is true). */
  sendCompletionEmail?: boolean;
  signal?: AbortSignal;
}
