/**
 * One mapping from Ferry's errors to HTTP answers, so every route and adapter says the
 * same thing: `{ error: { code, message, hint? } }` with a status that tells callers
 * whether to retry. Passwords and secrets never reach a message (errors.ts).
 */
import { FerryError, TransientError } from '../errors';

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

/** An HTTP answer for an error. */
export interface ErrorReply {
  status: number;
  body: ErrorBody;
  retryAfterSec?: number;
}

/** Build an error body. */
export function errorBody(code: string, message: string, hint?: string): ErrorBody {
  return { error: { code, message, ...(hint === undefined ? {} : { hint }) } };
}

const DATA_STATUS: Record<string, number> = {
  identifier_invalid: 400,
  password_invalid: 400,
  email_invalid: 400,
  user_exists: 409,
  legacy_id_mismatch: 409,
  ambiguous_email: 409,
  legacy_email_mismatch: 502,
  legacy_profile_invalid: 502,
};

/** Map any thrown value to an answer. Unknown errors become a bare 500. */
export function errorReply(err: unknown): ErrorReply {
  if (err instanceof TransientError) {
    const retry = err.retryAfterMs === undefined ? 5 : Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    // A legacy outage is never "wrong password": callers must show "try again later".
    return { status: 503, body: errorBody(err.code, err.message, err.hint), retryAfterSec: retry };
  }
  if (err instanceof FerryError) {
    switch (err.errorClass) {
      case 'data':
        return { status: DATA_STATUS[err.code] ?? 409, body: errorBody(err.code, err.message, err.hint) };
      case 'config':
        return { status: err.code === 'capability_missing' || err.code === 'not_supported_by_backend' ? 501 : 409, body: errorBody(err.code, err.message, err.hint) };
      case 'auth':
        // Ferry's own credentials for legacy were refused: the server is misconfigured.
        return { status: 502, body: errorBody(err.code, err.message, err.hint) };
      default:
        return { status: 500, body: errorBody('internal', 'Internal error.') };
    }
  }
  return { status: 500, body: errorBody('internal', 'Internal error.') };
}
