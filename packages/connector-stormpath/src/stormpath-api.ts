/**
 * The Stormpath endpoints Ferry calls: loginAttempts, one account, and the
 * application's accounts collection. Retries, rate limits and timeouts are the core
 * HTTP client's; this file only knows paths, bodies and Stormpath's error shape.
 */
import { AuthError, ConfigError, DataError, type HttpClient, type HttpResponse } from '@ferry/core';
import { readErrorBody } from './login-errors';
import type { StormpathAccount, StormpathCollection } from './stormpath-account';

/** Every account read expands custom data and groups, so all paths map the same profile. */
export const ACCOUNT_EXPAND = 'customData,groups';

/** Stormpath's largest page. */
export const MAX_PAGE_SIZE = 100;

/** The answer of one login attempt. */
export type LoginAttemptResult = { ok: true; accountHref: string } | { ok: false; code: number | undefined };

/** A thin, typed view of the Stormpath REST API for one application. */
export class StormpathApi {
  constructor(
    private readonly http: HttpClient,
    private readonly applicationId: string,
    private readonly accountStore: string | undefined,
  ) {}

  /** `POST /applications/{id}/loginAttempts` with `base64(login:password)`. */
  async loginAttempt(login: string, password: string): Promise<LoginAttemptResult> {
    const value = Buffer.from(`${login}:${password}`, 'utf8').toString('base64');
    const json = { type: 'basic', value, ...(this.accountStore === undefined ? {} : { accountStore: { href: this.accountStore } }) };
    const res = await this.http.post(`${this.appPath()}/loginAttempts`, { json });
    if (res.status === 200) {
      const href = res.json<{ account?: { href?: string } }>().account?.href;
      if (typeof href !== 'string') throw new DataError('stormpath_bad_response', 'Stormpath accepted the login but returned no account href.');
      return { ok: true, accountHref: href };
    }
    if (res.status === 400) return { ok: false, code: readErrorBody(res.text()).code };
    throw this.failure(res, 'loginAttempts');
  }

  /** `GET /accounts/{id}?expand=…`. */
  async getAccount(accountId: string): Promise<StormpathAccount> {
    const res = await this.http.get(`accounts/${encodeURIComponent(accountId)}`, { query: { expand: ACCOUNT_EXPAND } });
    if (res.status !== 200) throw this.failure(res, 'account');
    return res.json<StormpathAccount>();
  }

  /** `GET /applications/{id}/accounts` with attribute filters and offset/limit paging. */
  async listAccounts(filter: Record<string, string>, offset: number, limit = MAX_PAGE_SIZE): Promise<StormpathCollection<StormpathAccount>> {
    const query = { ...filter, expand: ACCOUNT_EXPAND, offset: String(offset), limit: String(limit) };
    const res = await this.http.get(`${this.appPath()}/accounts`, { query });
    if (res.status !== 200) throw this.failure(res, 'accounts');
    const page = res.json<Partial<StormpathCollection<StormpathAccount>>>();
    if (!Array.isArray(page.items)) throw new DataError('stormpath_bad_response', 'Stormpath returned an accounts collection without items.');
    return { offset, limit, ...page, items: page.items };
  }

  private appPath(): string {
    return `applications/${encodeURIComponent(this.applicationId)}`;
  }

  /** A typed error for an unexpected 4xx (5xx and 429 are thrown by the HTTP client). Built from codes only. */
  private failure(res: HttpResponse, endpoint: string): Error {
    const body = readErrorBody(res.text());
    const details = { endpoint, status: res.status, code: body.code, requestId: body.requestId };
    if (res.status === 401 || res.status === 403) {
      return new AuthError('stormpath_auth_failed', `Stormpath refused the API key (${res.status}${body.code ? `, code ${body.code}` : ''}).`, {
        hint: 'Check apiKeyId and apiKeySecret (apiKey.properties) and that the key belongs to the tenant of the application.',
        details,
      });
    }
    if (res.status === 404 && endpoint !== 'account') {
      return new ConfigError('stormpath_application_not_found', `Stormpath has no application '${this.applicationId}'.`, {
        hint: 'Set applicationId to the last path segment of the application href.',
        details,
      });
    }
    return new DataError('stormpath_request_failed', `Stormpath answered ${res.status}${body.code ? ` (code ${body.code})` : ''} on ${endpoint}.`, {
      hint: body.moreInfo ? `See ${body.moreInfo}.` : 'Check the connector config against the Stormpath-compatible service.',
      details,
    });
  }
}
