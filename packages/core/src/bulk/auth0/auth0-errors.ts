/**
 * Errors of the Auth0 target. Built from status codes and Auth0's error codes only: never
 * a token, the client secret, or a user record.
 */
import { AuthError, ConfigError, DataError, type FerryError, TransientError } from '../../errors';

/** Codes of the errors raised talking to Auth0. */
export type Auth0ErrorCode =
  /** Auth: `/oauth/token` refused the client credentials or the audience. */
  | 'auth0_token_refused'
  /** Auth: the Management API refused a fresh token (401) or the scopes (403). */
  | 'auth0_unauthorized'
  /** Config: the connection does not exist or its id is malformed. */
  | 'auth0_connection_invalid'
  /** Data: the users file is above Auth0's size limit (413). */
  | 'auth0_file_too_large'
  /** Data: Auth0 rejected the users file (400). */
  | 'auth0_file_rejected'
  /** Data: the job is unknown to Auth0 (deleted 24 hours after creation). */
  | 'auth0_job_not_found'
  /** Transient: an answer Ferry does not understand. */
  | 'auth0_unexpected_response'
  /** Transient: Auth0 kept answering that two import jobs are already running. */
  | 'auth0_too_many_jobs';

/** Auth0's error body (hapi/boom shape). */
export interface Auth0ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  errorCode?: string;
}

/** Parse an error body without trusting it. */
export function readErrorBody(text: string): Auth0ErrorBody {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return {};
    const { statusCode, error, message, errorCode } = body as Record<string, unknown>;
    return {
      ...(typeof statusCode === 'number' ? { statusCode } : {}),
      ...(typeof error === 'string' ? { error } : {}),
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof errorCode === 'string' ? { errorCode } : {}),
    };
  } catch {
    return {};
  }
}

/** The Ferry error for a Management API answer that is not a success. */
export function managementError(status: number, body: Auth0ErrorBody, what: string): FerryError {
  const details = { status, ...(body.errorCode === undefined ? {} : { auth0Code: body.errorCode }) };
  const said = body.message === undefined ? '' : `: ${body.message}`;
  if (status === 401 || status === 403) {
    return new AuthError('auth0_unauthorized', `Auth0 refused ${what} (${status})${said}`, {
      details,
      hint: 'Authorize the application for the Auth0 Management API with the create:users and read:users scopes.',
    });
  }
  if (status === 413) {
    return new DataError('auth0_file_too_large', `Auth0 refused ${what}: the users file is too large${said}`, {
      details,
      hint: 'Import files must not exceed 512000 bytes; split the file.',
    });
  }
  if (status === 400 && (body.errorCode === 'inexistent_connection' || (body.message ?? '').includes('connection_id'))) {
    return new ConfigError('auth0_connection_invalid', `Auth0 refused ${what}${said}`, {
      details,
      hint: 'Set target.auth0.connectionId to the con_… id of an existing database connection.',
    });
  }
  if (status === 400) return new DataError('auth0_file_rejected', `Auth0 refused ${what}${said}`, { details });
  if (status === 404) return new DataError('auth0_job_not_found', `Auth0 does not know ${what} (jobs are deleted after 24 hours)`, { details });
  return new TransientError('auth0_unexpected_response', `Auth0 answered ${status} to ${what}${said}`, { details });
}
