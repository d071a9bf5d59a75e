/**
 * The part of Auth0's Management API bulk import needs: create an import job (multipart),
 * read a job, read its errors, look users up by email and by id. Paced by core's HTTP
 * client (a token bucket a little under the tenant's tier, plus the `x-ratelimit-*`
 * headers), authenticated with a cached client-credentials token that is renewed before
 * it expires.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Logger } from '../../logging/logger';
import type { Clock } from '../../http/clock';
import type { HttpClient, HttpClientFactory, HttpRequest, HttpResponse } from '../../http/http-types';
import { type Auth0RateTier, auth0RateLimit } from './auth0-target-config';
import { managementError, readErrorBody } from './auth0-errors';
import { Auth0TokenSource } from './auth0-token-source';
import type { Auth0ImportJobOptions, Auth0Job, Auth0JobErrors, Auth0TenantUser, Auth0UserError } from './auth0-types';

/** Settings of an {@link Auth0ManagementClient} (a `target.auth0` config fits). */
export interface Auth0ManagementClientOptions {
  /** Tenant domain, e.g. `acme.eu.auth0.com`; the token audience is `https://{domain}/api/v2/`. */
  domain: string;
  clientId: string;
  clientSecret: string;
  /** Where requests go instead of `https://{domain}` (a proxy, a fake). */
  baseUrl?: string | undefined;
  /** Rate tier of the tenant. Default `free`. */
  tier?: Auth0RateTier | undefined;
  /** Per-request timeout. Default 60000 (uploads of 512000 bytes). */
  timeoutMs?: number | undefined;
  /** Renew tokens this long before they expire. Default 60000. */
  tokenRefreshMarginMs?: number | undefined;
}

/** Collaborators of an {@link Auth0ManagementClient}. */
export interface Auth0ManagementClientDeps {
  http: HttpClientFactory;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
}

/** The client keeps this share of the tier's rate, and one token of its burst, in reserve for jitter. */
const RATE_SHARE = 0.95;

/** Calls to the Auth0 Management API jobs endpoints. */
export class Auth0ManagementClient {
  private readonly http: HttpClient;
  private readonly tokens: Auth0TokenSource;
  private readonly log: Logger | undefined;

  constructor(options: Auth0ManagementClientOptions, deps: Auth0ManagementClientDeps) {
    const limit = auth0RateLimit(options.tier ?? 'free');
    this.http = deps.http.create({
      name: 'auth0',
      baseUrl: options.baseUrl ?? `https://${options.domain}`,
      timeoutMs: options.timeoutMs ?? 60_000,
      userAgent: 'ferry-auth0-import',
      rateLimit: { ratePerSecond: limit.ratePerSecond * RATE_SHARE, burst: Math.max(1, limit.burst - 1) },
      clock: deps.clock,
    });
    this.tokens = new Auth0TokenSource(this.http, {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      audience: `https://${options.domain}/api/v2/`,
      refreshMarginMs: options.tokenRefreshMarginMs,
      clock: deps.clock,
    });
    this.log = deps.logger?.child({ component: 'auth0' }) as Logger | undefined;
  }

  /** Access tokens obtained so far (for tests and progress output). */
  get tokensFetched(): number {
    return this.tokens.fetched;
  }

  /**
   * Start an import job for a users file (its bytes, or its path). Sent once: a 429 (rate
   * limit, or two jobs already running) rejects with a `TransientError` `http_rate_limited`
   * for the caller to wait and retry.
   */
  async createImportJob(users: Uint8Array | string, options: Auth0ImportJobOptions): Promise<Auth0Job> {
    const bytes = typeof users === 'string' ? await readFile(users) : users;
    const form = new FormData();
    form.append('users', new Blob([bytes], { type: 'application/json' }), 'users.json');
    form.append('connection_id', options.connectionId);
    form.append('upsert', String(options.upsert ?? false));
    form.append('send_completion_email', String(options.sendCompletionEmail ?? false));
    if (options.externalId !== undefined) form.append('external_id', options.externalId);
    const response = await this.send({ method: 'POST', url: '/api/v2/jobs/users-imports', body: form, maxAttempts: 1, signal: options.signal }, 'the import job');
    const job = readJob(response);
    this.log?.debug({ jobId: job.id, bytes: bytes.byteLength }, 'auth0 import job created');
    return job;
  }

  /** The job's current state. */
  async getJob(id: string, signal?: AbortSignal): Promise<Auth0Job> {
    return readJob(await this.send({ url: `/api/v2/jobs/${encodeURIComponent(id)}`, signal }, `job ${id}`));
  }

  /** The users a job could not import (ids and reasons only), or why it failed as a whole. */
  async getJobErrors(id: string, signal?: AbortSignal): Promise<Auth0JobErrors> {
    const response = await this.send({ url: `/api/v2/jobs/${encodeURIComponent(id)}/errors`, signal }, `the errors of job ${id}`);
    if (response.status === 204 || response.body.length === 0) return { users: [] };
    const body = response.json<unknown>();
    if (Array.isArray(body)) return { users: body.map(toUserError) };
    const details = (body as { status_details?: unknown } | null)?.status_details;
    return { users: [], ...(typeof details === 'string' ? { statusDetails: details } : {}) };
  }

  /**
   * The tenant's users (every connection) whose email is exactly `email`, ids only. Auth0
   * matches case-sensitively and keeps its own users' emails in lower case, so callers
   * looking for a database user pass the email in lower case. Immediately consistent, unlike
   * the users search; paced like every other call.
   */
  async getUsersByEmail(email: string, signal?: AbortSignal): Promise<Auth0TenantUser[]> {
    const query = new URLSearchParams({ email, fields: 'user_id,email,identities', include_fields: 'true' });
    const response = await this.send({ url: `/api/v2/users-by-email?${query.toString()}`, signal }, 'a users-by-email lookup');
    const body = response.json<unknown>();
    if (!Array.isArray(body)) throw managementError(502, {}, 'a users-by-email lookup with a body that is not a list');
    return body.filter((u): u is Record<string, unknown> => typeof u === 'object' && u !== null && typeof (u as { user_id?: unknown }).user_id === 'string').map(toTenantUser);
  }

  /**
   * The tenant's user with this `user_id` (with its provider prefix, e.g. `auth0|legacy-7`),
   * ids, email and connections only; undefined when Auth0 answers 404. Immediately
   * consistent; paced like every other call.
   */
  async getUser(userId: string, signal?: AbortSignal): Promise<Auth0TenantUser | undefined> {
    const query = new URLSearchParams({ fields: 'user_id,email,identities', include_fields: 'true' });
    const url = `/api/v2/users/${encodeURIComponent(userId)}?${query.toString()}`;
    const response = await this.send({ url, signal }, 'a user lookup by id', { absentOn404: true });
    if (response.status === 404) return undefined;
    const body = response.json<unknown>();
    if (typeof body !== 'object' || body === null || typeof (body as { user_id?: unknown }).user_id !== 'string') {
      throw managementError(502, {}, 'a user lookup by id with a body that is not a user');
    }
    return toTenantUser(body as Record<string, unknown>);
  }

  /**
   * Start an export of a connection's users (`format: json`: one JSON object per line).
   * Poll it with {@link getJob}; when `completed`, read `location` with {@link downloadExport}.
   */
  async createExportJob(options: { connectionId: string; fields?: string[]; signal?: AbortSignal }): Promise<Auth0Job & { location?: string }> {
    const fields = (options.fields ?? ['user_id', 'email']).map((name) => ({ name }));
    const response = await this.send(
      { method: 'POST', url: '/api/v2/jobs/users-exports', json: { connection_id: options.connectionId, format: 'json', fields }, maxAttempts: 1, signal: options.signal },
      'the export job',
    );
    return readJob(response);
  }

  /**
   * Download a completed export (`location` of its job): gzipped lines of JSON. The URL is
   * pre-signed storage, so no token is sent to it. Whole-file: `maxBytes` bounds it (default 256 MiB).
   */
  async downloadExport(location: string, options: { maxBytes?: number; signal?: AbortSignal } = {}): Promise<Record<string, unknown>[]> {
    const response = await this.http.get(location, { maxBodyBytes: options.maxBytes ?? 256 * 1024 * 1024, rateLimitKey: 'auth0-export-download', signal: options.signal });
    if (!response.ok) throw managementError(response.status, {}, 'the export download');
    // Storage may have decoded it already (Content-Encoding: gzip); look for gzip's magic bytes.
    const raw = response.body[0] === 0x1f && response.body[1] === 0x8b ? gunzipSync(response.body) : response.body;
    return raw
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  /** Close the connection pool. */
  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Send with a bearer token; on a 401 renew the token once and send again. With
   * `absentOn404` a 404 is returned (the thing looked up does not exist), not thrown.
   */
  private async send(request: HttpRequest, what: string, options: { absentOn404?: boolean } = {}): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.get(request.signal);
      const response = await this.http.request({ ...request, headers: { authorization: `Bearer ${token}` } });
      if (response.ok || (response.status === 404 && options.absentOn404 === true)) return response;
      if (response.status === 401 && attempt === 1) {
        this.log?.debug({ what }, 'auth0 refused the token; renewing it');
        this.tokens.invalidate(token);
        continue;
      }
      throw managementError(response.status, readErrorBody(response.text()), what);
    }
  }
}

function readJob(response: HttpResponse): Auth0Job {
  const job = response.json<Auth0Job>();
  if (typeof job?.id !== 'string' || typeof job.status !== 'string') {
    throw managementError(502, {}, 'a job request with a body that is not a job');
  }
  return job;
}

/** Strings of a user record that must not leave this module (hashes, salts, keys, TOTP secrets). */
function secretsOf(user: Record<string, unknown> | undefined): string[] {
  const found: string[] = [];
  const walk = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string') {
      if (secret && value.length >= 4 && !/^\*+$/.test(value)) found.push(value);
    } else if (Array.isArray(value)) {
      value.forEach((item) => walk(item, secret));
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, secret || /hash|salt|key|secret|password|totp/i.test(key));
    }
  };
  if (user !== undefined) for (const key of ['password_hash', 'custom_password_hash', 'mfa_factors']) walk(user[key], true);
  return found;
}

/** Keep the ids and the reasons; drop the echoed user (hashes, metadata). */
function toUserError(entry: unknown): Auth0UserError {
  const { user, errors } = (entry ?? {}) as { user?: Record<string, unknown>; errors?: unknown };
  const list = Array.isArray(errors) ? (errors as { code?: unknown; message?: unknown; path?: unknown }[]) : [];
  const first = list[0];
  const userId = user?.user_id;
  const email = user?.email;
  const path = first?.path;
  // Validation messages may quote the offending value; never let a hash through that way.
  const secrets = secretsOf(user);
  const scrub = (message: string): string => secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
  const message = list.map((e) => (typeof e.message === 'string' ? scrub(e.message) : '')).filter((m) => m !== '').join('; ');
  const codes = [...new Set(list.map((e) => (typeof e.code === 'string' ? e.code : 'UNKNOWN')))];
  return {
    ...(typeof userId === 'string' ? { user_id: userId } : {}),
    ...(typeof email === 'string' ? { email } : {}),
    code: typeof first?.code === 'string' ? first.code : 'UNKNOWN',
    message: message === '' ? 'Auth0 gave no reason' : message,
    ...(typeof path === 'string' && path !== '' ? { path } : {}),
    // Kept when there are several: whether a user failed for one reason only matters on resume.
    ...(codes.length > 1 ? { codes } : {}),
  };
}

/** Keep a listed user's ids and connections; drop the profile. */
function toTenantUser(user: Record<string, unknown>): Auth0TenantUser {
  const identities = Array.isArray(user.identities)
    ? (user.identities as unknown[])
        .filter((i): i is Record<string, unknown> => typeof i === 'object' && i !== null)
        .map((i) => ({
          ...(typeof i.connection === 'string' ? { connection: i.connection } : {}),
          ...(typeof i.provider === 'string' ? { provider: i.provider } : {}),
          ...(typeof i.user_id === 'string' ? { user_id: i.user_id } : {}),
        }))
    : undefined;
  return { user_id: user.user_id as string, ...(typeof user.email === 'string' ? { email: user.email } : {}), ...(identities === undefined ? {} : { identities }) };
}
