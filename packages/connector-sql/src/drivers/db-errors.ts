/**
 * Classifying driver errors: an unreachable or overloaded database is transient (the
 * engine retries later), refused credentials are an auth problem, and anything the
 * server says about a query is a mistake in that config key.
 */
import { AuthError, ConfigError, FerryError, TransientError } from '@ferry/core';

const TRANSIENT_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK',
  'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'ER_TOO_MANY_USER_CONNECTIONS',
  'SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_PROTOCOL', 'SQLITE_FULL',
]);
const AUTH_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE']);
// PostgreSQL SQLSTATE classes: 08 connection, 40 rollback, 53 resources, 57 operator
// intervention (incl. 57014 statement timeout), 58 system; 55P03 lock not available.
const PG_TRANSIENT = /^(08|40|53|57|58)|^55P03$/;
const NETWORK_MESSAGE = /timeout|timed out|terminated|connection (was )?(closed|lost|refused|reset)|ECONNREFUSED|socket/i;

interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
  fatal?: unknown;
  message?: unknown;
}

/** Turn a driver error raised while running config `key` into a Ferry error. */
export function classifyDbError(err: unknown, key: string, dialect: string): FerryError {
  if (err instanceof FerryError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as DriverErrorShape;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const details = { key, dialect, driverCode: code || undefined };
  const sqliteBase = code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1');
  const isPgState = dialect === 'postgres' && /^[0-9A-Z]{5}$/.test(code);
  if (TRANSIENT_CODES.has(code) || TRANSIENT_CODES.has(sqliteBase) || (isPgState && PG_TRANSIENT.test(code)) || e.fatal === true || (!code && NETWORK_MESSAGE.test(message))) {
    return new TransientError('legacy_unavailable', `The legacy ${dialect} database is unavailable (${code || message}).`, {
      hint: 'Check that the database is reachable and not overloaded; Ferry retries transient failures.',
      cause: err,
      details,
    });
  }
  if (AUTH_CODES.has(code) || (isPgState && code.startsWith('28'))) {
    return new AuthError('legacy_auth_failed', `The legacy ${dialect} database refused Ferry's credentials (${code}).`, {
      hint: 'Check the user and password in connector.config.url (use ${ENV} for the password).',
      cause: err,
      details,
    });
  }
  return new ConfigError('query_failed', `${key} failed on ${dialect}: ${message}`, {
    hint: `Fix the SQL in ${key} (run it by hand against the database to check column and table names).`,
    cause: err,
    details,
  });
}
