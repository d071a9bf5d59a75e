/**
 * Ferry's error model. Every error a user can cause or meet carries a stable string
 * `code`, an `errorClass` that decides how callers react (the CLI maps it to an exit
 * code, the engine to an outcome) and a `hint` saying what to do about it.
 *
 * Messages never contain a password, token or secret: build them from identifiers only.
 */

/** How an error should be handled. */
export type ErrorClass =
  /** The user's configuration or input is wrong; retrying will not help. */
  | 'config'
  /** A timeout, 5xx, 429 or network failure; the same call may succeed later. */
  | 'transient'
  /** Credentials Ferry itself uses (API keys, tokens) were refused. */
  | 'auth'
  /** The data is inconsistent (duplicate users, id drift, broken rows). */
  | 'data'
  /** A bug in Ferry or a connector. */
  | 'internal';

/** Options shared by every Ferry error. */
export interface FerryErrorOptions {
  /** What the user can do about it. */
  hint?: string;
  /** The underlying error, kept for logs (never shown with secrets). */
  cause?: unknown;
  /** Structured, secret-free details (ids, keys, counts). */
  details?: Record<string, unknown>;
}

/** Base class of every error Ferry raises on purpose. */
export class FerryError extends Error {
  /** Stable machine-readable code, e.g. `config_invalid` or `legacy_unavailable`. */
  readonly code: string;
  /** How callers should treat it. */
  readonly errorClass: ErrorClass;
  /** What to do about it. */
  readonly hint: string | undefined;
  /** Secret-free structured details. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, errorClass: ErrorClass, message: string, options: FerryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.errorClass = errorClass;
    this.hint = options.hint;
    this.details = options.details;
  }

  /** A JSON form suitable for `--json` output and HTTP bodies. */
  toJSON(): { code: string; class: ErrorClass; message: string; hint?: string; details?: Record<string, unknown> } {
    return {
      code: this.code,
      class: this.errorClass,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** The configuration (ferry.yaml, flags, a connector's config) is invalid. */
export class ConfigError extends FerryError {
  constructor(code: string, message: string, options: FerryErrorOptions = {}) {
    super(code, 'config', message, options);
  }
}

/**
 * A temporary failure talking to a legacy source or service: timeout, 5xx, 429, network.
 * Never reported to a user as a wrong password or a missing user.
 */
export class TransientError extends FerryError {
  /** Milliseconds the remote side asked us to wait, when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: FerryErrorOptions & { retryAfterMs?: number } = {}) {
    super(code, 'transient', message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Ferry's own credentials for a remote system were refused (bad API key, expired token). */
export class AuthError extends FerryError {
  constructor(code: string, message: string, options: FerryErrorOptions = {}) {
    super(code, 'auth', message, options);
  }
}

/** Inconsistent data: ambiguous emails, id drift between legacy answers, broken rows. */
export class DataError extends FerryError {
  constructor(code: string, message: string, options: FerryErrorOptions = {}) {
    super(code, 'data', message, options);
  }
}

/** True when `err` is a Ferry error of the given class. */
export function isErrorClass(err: unknown, errorClass: ErrorClass): err is FerryError {
  return err instanceof FerryError && err.errorClass === errorClass;
}
