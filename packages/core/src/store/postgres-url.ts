/**
 * Parses a `postgres://` store URL into pool options, and keeps its password out of
 * everything Ferry prints: descriptions, logs and error messages.
 */
import { ConfigError } from '../errors';

/** Pool and session settings of a PostgreSQL store, read from the URL's query. */
export interface PostgresStoreOptions {
  /** The URL without Ferry's own query parameters, handed to `pg`. */
  connectionString: string;
  /** Printable form: no password. */
  description: string;
  /** Maximum connections of this process's pool (`?pool=`, default 10). */
  poolSize: number;
  /** Server-side limit per statement in ms (`?statement_timeout=`, default 30000; 0 = none). */
  statementTimeoutMs: number;
  /** How long to wait for a new connection in ms (`?connect_timeout=`, default 10000). */
  connectTimeoutMs: number;
  /** Idle connections are closed after this many ms (`?idle_timeout=`, default 30000). */
  idleTimeoutMs: number;
  /** Schema holding Ferry's tables (`?schema=`, default the server's search_path, usually `public`). */
  schema: string | undefined;
  /** Strings that must never be shown (the password, raw and URL-encoded). */
  secrets: string[];
}

const FERRY_PARAMS = ['pool', 'statement_timeout', 'connect_timeout', 'idle_timeout', 'schema'] as const;

/** True for `postgres://` and `postgresql://` URLs. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Parse a PostgreSQL store URL. Errors name the parameter, never the URL. */
export function parsePostgresUrl(url: string): PostgresStoreOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError('store_url_invalid', 'The PostgreSQL store URL is not a valid URL.', {
      hint: "Use 'postgres://user:${PGPASSWORD}@host:5432/db' (URL-encode special characters in the password).",
    });
  }
  const secrets = [parsed.password, safeDecode(parsed.password), parsed.searchParams.get('password') ?? ''].filter((s) => s !== '');
  const int = (name: string, fallback: number, min: number): number => {
    const raw = parsed.searchParams.get(name);
    if (raw === null) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      throw new ConfigError('store_url_invalid', `The store URL's '${name}' must be an integer of at least ${min}.`, {
        hint: `e.g. ?pool=10&statement_timeout=30000 (milliseconds).`,
      });
    }
    return n;
  };
  const schema = parsed.searchParams.get('schema') ?? undefined;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError('store_url_invalid', `The store URL's schema '${schema}' is not a plain lower-case identifier.`, {
      hint: 'Use letters, digits and underscores, starting with a letter, e.g. ?schema=ferry.',
    });
  }
  const options: PostgresStoreOptions = {
    connectionString: '',
    description: describe(parsed),
    poolSize: int('pool', 10, 1),
    statementTimeoutMs: int('statement_timeout', 30_000, 0),
    connectTimeoutMs: int('connect_timeout', 10_000, 0),
    idleTimeoutMs: int('idle_timeout', 30_000, 0),
    schema,
    secrets,
  };
  for (const name of FERRY_PARAMS) parsed.searchParams.delete(name);
  options.connectionString = parsed.toString();
  return options;
}

/** The URL without its password (or a `password` query parameter), for printing. */
function describe(url: URL): string {
  const copy = new URL(url.toString());
  copy.password = '';
  for (const name of [...copy.searchParams.keys()]) {
    if (/pass|secret|key$/i.test(name)) copy.searchParams.set(name, '***');
  }
  return copy.toString();
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Replace every secret in `text` with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
