/**
 * The Users API calls the connector makes: one user by id or login, and one page of
 * the user list. Authenticated with `Authorization: SSWS {apiToken}`; quota tracked in
 * the `okta-users` bucket, apart from authentication's.
 */
import { DataError, type HttpClient, type HttpResponse } from '@ferry/core';
import { nextCursor } from './link-header';
import { readErrorBody, type OktaErrorBody, unexpectedResponse } from './okta-errors';
import type { OktaUser } from './okta-profile';

/** Rate-limit bucket of the Users API (Okta limits `/api/v1/users` apart from `/api/v1/authn`). */
export const USERS_BUCKET = 'okta-users';

/** Query of one list page. */
export interface ListQuery {
  limit: number;
  after?: string | undefined;
  filter?: string | undefined;
  search?: string | undefined;
}

/** One list page, or the 5xx Okta answered for it (large pages time out server-side). */
export type ListResult = { users: OktaUser[]; after: string | null } | { serverError: number };

/** Users API client bound to an HTTP client and an API token. */
export class OktaUsersApi {
  private readonly headers: Record<string, string>;

  constructor(
    private readonly http: HttpClient,
    apiToken: string,
  ) {
    this.headers = { authorization: `SSWS ${apiToken}`, accept: 'application/json' };
  }

  /** `GET /api/v1/users/{id|login}`; null on 404 E0000007. */
  async get(idOrLogin: string): Promise<OktaUser | null> {
    const res = await this.http.get(`/api/v1/users/${encodeURIComponent(idOrLogin)}`, {
      headers: this.headers,
      rateLimitKey: USERS_BUCKET,
    });
    if (res.status === 200) return res.json<OktaUser>();
    if (res.status === 404 && readErrorBody<OktaErrorBody>(res).errorCode === 'E0000007') return null;
    throw unexpectedResponse('Reading an Okta user', res);
  }

  /**
   * The user whose `profile.email` is `email` (`filter=profile.email eq "…"`), for orgs
   * whose logins are not emails. Throws `ambiguous_email` when several users share it.
   */
  async findByEmail(email: string): Promise<OktaUser | null> {
    const res = await this.http.get('/api/v1/users', {
      headers: this.headers,
      rateLimitKey: USERS_BUCKET,
      query: { filter: `profile.email eq "${email.replace(/["\\]/g, '\\$&')}"`, limit: 2 },
    });
    if (res.status !== 200) throw unexpectedResponse('Looking an Okta user up by email', res);
    const users = res.json<OktaUser[]>();
    if (users.length > 1) {
      throw new DataError('ambiguous_email', `Several Okta users have the email ${email}`, {
        hint: 'Make the email unique in Okta, or migrate these users by login.',
        details: { email, user_ids: users.map((u) => u.id) },
      });
    }
    return users[0] ?? null;
  }

  /** `GET /api/v1/users?limit=…`: one attempt, a 5xx returned so the caller can shrink the page. */
  async list(query: ListQuery): Promise<ListResult> {
    const res: HttpResponse = await this.http.get('/api/v1/users', {
      headers: this.headers,
      rateLimitKey: USERS_BUCKET,
      query: { limit: query.limit, after: query.after, filter: query.filter, search: query.search },
      returnServerErrors: true,
      maxAttempts: 1,
    });
    if (res.status >= 500) return { serverError: res.status };
    if (res.status !== 200) throw unexpectedResponse('Listing Okta users', res);
    return { users: res.json<OktaUser[]>(), after: nextCursor(res.headers.get('link')) };
  }
}
