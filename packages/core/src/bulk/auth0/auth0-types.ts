/**
 * Management API shapes Ferry reads (import jobs, their summaries and errors) and the
 * secret-free forms it hands on.
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
   * Ferry's reading where it knows more than Auth0's code. `already_imported_by_interrupted_job`:
   * a DUPLICATED_USER from a file sent again after an interrupted send, whose lost job
   * probably imported the user (`message` says so).
   */
  verdict?: 'already_imported_by_interrupted_job';
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
