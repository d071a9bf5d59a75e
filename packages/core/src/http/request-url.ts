/**
 * Building request URLs from a base URL, a path and a query object, and the
 * secret-free parts of a URL that logs and errors may show.
 */
import { ConfigError } from '../errors';
import type { RequestTarget } from './http-errors';

/** A query parameter value; `undefined` is skipped and arrays repeat the key. */
export type QueryValue = string | number | boolean | undefined | readonly (string | number | boolean)[];

/** Query parameters appended to a request URL. */
export type QueryParams = Readonly<Record<string, QueryValue>>;

const ABSOLUTE = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * Resolve `url` against `baseUrl` by joining paths (so `https://h/api/v1` + `/users` is
 * `https://h/api/v1/users`, unlike `new URL()`), then append `query`.
 */
export function buildUrl(url: string, baseUrl: string | undefined, query: QueryParams | undefined): URL {
  let href = url;
  if (!ABSOLUTE.test(url)) {
    if (baseUrl === undefined) {
      throw new ConfigError('http_invalid_url', 'A relative request URL needs the client option baseUrl', {
        hint: 'Pass an absolute URL or configure baseUrl on the HTTP client.',
      });
    }
    href = `${baseUrl.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`;
  }
  let result: URL;
  try {
    result = new URL(href);
  } catch {
    // The URL may contain credentials or a query with secrets, so it is not repeated here.
    throw new ConfigError('http_invalid_url', 'The request URL is not a valid absolute URL', {
      hint: 'Check the configured baseUrl.',
    });
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const values: readonly (string | number | boolean)[] = Array.isArray(value) ? value : [value as string | number | boolean];
    for (const item of values) result.searchParams.append(key, String(item));
  }
  return result;
}

/** Method, host and path of a request: what may appear in logs and errors. */
export function requestTarget(method: string, url: URL): RequestTarget {
  return { method, host: url.host, path: url.pathname };
}
