/**
 * Structured logging with pino. Every field whose name says it holds a secret is
 * redacted at any depth we log (top level and three levels down), so a connector that
 * logs a request object cannot leak a password, token or Authorization header.
 */
import type { ServiceIdentifier } from 'inversify';
import pino, { type Logger as PinoLogger, type LoggerOptions } from 'pino';

/** Ferry's logger type (pino). */
export type Logger = PinoLogger;

/** DI token for the root logger. */
export const Logger: ServiceIdentifier<Logger> = Symbol.for('@ferry/core/Logger');

/** Field names that are always redacted. */
export const SECRET_FIELD_NAMES = [
  'password',
  'newPassword',
  'new_password',
  'secret',
  'client_secret',
  'clientSecret',
  'apiKey',
  'api_key',
  'apiKeySecret',
  'userKey',
  'token',
  'access_token',
  'accessToken',
  'refresh_token',
  'id_token',
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'password_hash',
  'custom_password_hash',
  'ferry_password_hash',
  'hash',
] as const;

/** pino redact paths covering {@link SECRET_FIELD_NAMES} at depths 0–3. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const name of SECRET_FIELD_NAMES) {
    const key = /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
    const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key.startsWith('[') ? key.slice(2, -2) : key, join('*'), join('*.*'), join('*.*.*'));
  }
  return paths;
}

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  level?: string;
  /** Where to write (default stderr, so `--json` output on stdout stays clean). */
  destination?: NodeJS.WritableStream | number;
}

/** Create Ferry's root logger. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? process.env.FERRY_LOG_LEVEL ?? 'info',
    base: null,
    redact: { paths: redactPaths(), censor: '[redacted]' },
  };
  const dest = options.destination ?? 2;
  return pino(pinoOptions, typeof dest === 'number' ? pino.destination({ fd: dest, sync: true }) : dest);
}
