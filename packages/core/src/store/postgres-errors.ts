/**
 * Turns `pg` and network errors into Ferry errors with a class the CLI and engine act on,
 * with the URL's password scrubbed from every message.
 */
import { AuthError, ConfigError, DataError, FerryError, TransientError } from '../errors';
import { redact } from './postgres-url';

/** SQLSTATE codes worth retrying the whole transaction for. */
export const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

/** The SQLSTATE (or Node.js error code) of a `pg` error, if any. */
export function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Map an error thrown by `pg` to a {@link FerryError}. `cause` is dropped on purpose:
 * a driver error can carry connection parameters; the SQLSTATE goes in `details`.
 */
export function toStoreError(err: unknown, description: string, secrets: readonly string[]): FerryError {
  if (err instanceof FerryError) return err;
  const code = pgCode(err);
  const raw = err instanceof Error ? err.message : String(err);
  const message = redact(raw, secrets);
  const details = code === undefined ? undefined : { sqlstate: code };
  const opts = (hint: string) => ({ hint, ...(details === undefined ? {} : { details }) });
  if (code === '28P01' || code === '28000') {
    return new AuthError('store_auth_failed', `PostgreSQL refused Ferry's credentials for ${description}: ${message}.`, opts('Check the user and password in `store:` (use ${ENV_VAR} interpolation for the password).'));
  }
  if (code === '3D000' || code === '3F000' || code === '42501') {
    return new ConfigError('store_open_failed', `The PostgreSQL store ${description} cannot be used: ${message}.`, opts('Create the database (or schema) and grant Ferry\'s user rights on it.'));
  }
  if (code === '57014') {
    return new TransientError('store_timeout', `A query to ${description} exceeded the statement timeout.`, opts('Raise ?statement_timeout= in the store URL, or look for long-running locks on the database.'));
  }
  if (code !== undefined && (RETRYABLE_SQLSTATES.has(code) || code.startsWith('08') || code === '53300' || code === '57P01' || code === '57P03' || NETWORK_CODES.has(code))) {
    return new TransientError('store_unavailable', `The PostgreSQL store ${description} is unavailable: ${message}.`, opts('Check that the database is up and reachable; Ferry retries on the next request.'));
  }
  if (/timeout|terminated|Connection terminated|connect/i.test(raw) && code === undefined) {
    return new TransientError('store_unavailable', `The PostgreSQL store ${description} is unavailable: ${message}.`, opts('Check that the database is up and reachable, or raise ?connect_timeout= in the store URL.'));
  }
  if (code === '23505' || code === '23503') {
    return new DataError('store_conflict', `A write to ${description} conflicts with another user: ${message}.`, opts('Another user holds this email or username; untangle them with `ferry users`.'));
  }
  return new FerryError('store_query_failed', 'internal', `A query to ${description} failed: ${message}.`, opts('This is a bug or an unexpected schema; run `ferry store migrate` and report it if it persists.'));
}
