/**
 * A fake Auth0 tenant's Management API on 127.0.0.1 (random port): the client-credentials
 * token endpoint, bulk import jobs with their states, per-user errors, users by email or id,
 * limits (users file size, two concurrent jobs, a token-bucket request rate with
 * `x-ratelimit-*` headers) and Auth0's error bodies. Faithful to the documented shapes;
 * not to Auth0's internals.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiError, EXPIRED_TOKEN, type FakeAuth0Reply, INVALID_TOKEN, MISSING_TOKEN, RATE_LIMITED } from './fake-auth0-errors';
import { FakeAuth0Exports } from './fake-auth0-exports';
import { createImportJob } from './fake-auth0-imports';
import { FakeAuth0Jobs, type FakeAuth0Job } from './fake-auth0-jobs';
import { FakeAuth0RateLimiter } from './fake-auth0-rate-limiter';
import { FakeAuth0Tokens } from './fake-auth0-token';
import { FAKE_AUTH0_RATE_TIERS, type FakeAuth0Connection, type FakeAuth0Options, type FakeAuth0Stats } from './fake-auth0-types';
import { FakeAuth0UserTable, type FakeAuth0StoredUser } from './fake-auth0-users';

/** The default connection of the fake tenant. */
export const FAKE_AUTH0_CONNECTION: Readonly<FakeAuth0Connection> = Object.freeze({ id: 'con_0000000000000001', name: 'Username-Password-Authentication' });

/** A running fake Auth0 tenant. */
export interface FakeAuth0 {
  /** `http://127.0.0.1:{port}`: where requests go. */
  url: string;
  /** The tenant domain (audience `https://{domain}/api/v2/`). */
  domain: string;
  /** The first configured M2M client. */
  clientId: string;
  clientSecret: string;
  /** The first connection's id. */
  connectionId: string;
  /** Counters and observations. */
  stats: FakeAuth0Stats;
  /** Users of a connection (default the first). */
  users(connectionId?: string): FakeAuth0StoredUser[];
  /** A job as the fake holds it now (undefined once deleted). */
  job(id: string): FakeAuth0Job | undefined;
  /** Import jobs pending or processing now. */
  activeJobs(): number;
  /** Invalidate every issued token. */
  revokeTokens(): void;
  /** Tokens issued and not revoked. */
  issuedTokens(): string[];
  /** Stop the server (and drop open connections). */
  close(): Promise<void>;
}

const JOB_PATH = /^\/api\/v2\/jobs\/([^/]+)(\/errors)?$/;
const JOB_ID = /^job_[A-Za-z0-9]{16}$/;
const USER_PATH = /^\/api\/v2\/users\/([^/]+)$/;
// Big enough for a users file over the limit to be read and answered with a 413.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Start a fake Auth0 tenant. */
export async function startFakeAuth0(options: FakeAuth0Options = {}): Promise<FakeAuth0> {
  const domain = options.domain ?? 'ferry-test.auth0.local';
  const clients = options.clients ?? [{ clientId: 'fake-m2m-client', clientSecret: 'fake-m2m-secret' }];
  const connections = new Map((options.connections ?? [FAKE_AUTH0_CONNECTION]).map((c) => [c.id, c]));
  const tables = new Map([...connections.values()].map((c) => [c.id, new FakeAuth0UserTable(c.users)]));
  const tokens = new FakeAuth0Tokens(clients, `https://${domain}/api/v2/`, options.tokenLifetimeSeconds ?? 86_400);
  const now = options.now ?? Date.now;
  const jobs = new FakeAuth0Jobs(options.jobTiming ?? {}, tables, options.redactErrorUsers ?? true, now);
  const exports = new FakeAuth0Exports(connections, tables, options.jobTiming?.processingMs ?? 500);
  const tier = options.rateLimit ?? 'paid';
  const limiter = tier === false ? undefined : new FakeAuth0RateLimiter(typeof tier === 'string' ? FAKE_AUTH0_RATE_TIERS[tier] : tier);
  const stats: FakeAuth0Stats = {
    requests: 0,
    byRoute: {},
    tokensIssued: 0,
    rateLimitViolations: 0,
    concurrentJobRejections: 0,
    payloadTooLarge: 0,
    unauthorized: 0,
    jobsCreated: 0,
    maxConcurrentJobsSeen: 0,
    downloadsWithToken: 0,
  };
  let baseUrl = '';

  function authorize(header: string | undefined): FakeAuth0Reply | undefined {
    const match = /^Bearer (\S+)$/i.exec(header ?? '');
    const verdict = match?.[1] === undefined ? 'missing' : tokens.check(match[1]);
    if (verdict === 'valid') return undefined;
    stats.unauthorized++;
    return verdict === 'missing' ? MISSING_TOKEN : verdict === 'expired' ? EXPIRED_TOKEN : INVALID_TOKEN;
  }

  function jobRoute(id: string, errors: boolean): FakeAuth0Reply {
    if (!JOB_ID.test(id)) return apiError(400, `Path validation error: 'String does not match pattern ^job_[A-Za-z0-9]{16}$' on property id`, 'invalid_uri');
    if (exports.has(id)) return errors ? { status: 204 } : exports.get(id, baseUrl, now());
    const job = jobs.get(id);
    if (job === undefined) return apiError(404, 'The job does not exist.', 'inexistent_job');
    if (!errors) return { status: 200, body: jobs.view(job, `${baseUrl}/api/v2/jobs/${id}`) };
    if (job.status === 'failed') return { status: 200, body: jobs.view(job, '') };
    if (job.errors === undefined || job.errors.length === 0) return { status: 204 };
    return { status: 200, body: job.errors };
  }

  /** A user as the users endpoints give it, cut to `fields` (kept, or dropped with `include_fields=false`). */
  function userView(connectionId: string, user: FakeAuth0StoredUser, params: URLSearchParams): Record<string, unknown> {
    const fields = params.get('fields')?.split(',').filter((f) => f !== '');
    const include = params.get('include_fields') !== 'false';
    const full: Record<string, unknown> = {
      ...user.profile,
      user_id: user.user_id,
      email: user.email,
      email_verified: user.email_verified,
      ...(user.username === undefined ? {} : { username: user.username }),
      identities: [{ connection: connections.get(connectionId)?.name, user_id: user.user_id.replace(/^auth0\|/, ''), provider: 'auth0', isSocial: false }],
    };
    return fields === undefined ? full : Object.fromEntries(Object.entries(full).filter(([key]) => fields.includes(key) === include));
  }

  /**
   * `GET /api/v2/users-by-email`: every user of the tenant (all connections) whose email is
   * exactly `email` — case-sensitive, and Auth0 keeps the emails of its own users in lower
   * case. `fields` and `include_fields` select what each user carries.
   */
  function usersByEmail(params: URLSearchParams): FakeAuth0Reply {
    const email = params.get('email');
    if (email === null || email === '') return apiError(400, "Query validation error: 'Missing required property: email'.", 'invalid_query_string');
    const found: Record<string, unknown>[] = [];
    for (const [id, table] of tables) {
      const user = table.findByEmail(email);
      if (user !== undefined && user.email === email) found.push(userView(id, user, params));
    }
    return { status: 200, body: found };
  }

  /**
   * `GET /api/v2/users/{id}`: the user with this `user_id` (URL-encoded, prefix included;
   * unique across the tenant), or Auth0's 404. `fields` and `include_fields` as above.
   */
  function userById(userId: string, params: URLSearchParams): FakeAuth0Reply {
    for (const [id, table] of tables) {
      const user = table.findById(userId);
      if (user !== undefined) return { status: 200, body: userView(id, user, params) };
    }
    return apiError(404, 'The user does not exist.', 'inexistent_user');
  }

  async function route(req: IncomingMessage, url: URL): Promise<FakeAuth0Reply> {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (method === 'POST' && path === '/api/v2/jobs/users-imports') {
      const body = await readBody(req);
      if (body === undefined) return apiError(413, `Payload content length greater than maximum allowed: ${MAX_BODY_BYTES}`);
      return createImportJob(url.href, req.headers['content-type'], body, {
        connections,
        jobs,
        maxConcurrentJobs: options.maxConcurrentJobs ?? 2,
        maxUsersFileBytes: options.maxUsersFileBytes ?? 512_000,
        failJob: (index, externalId) => options.failJob?.({ index, externalId }),
        onTooLarge: () => stats.payloadTooLarge++,
        onTooManyJobs: () => stats.concurrentJobRejections++,
        onCreated: (active) => {
          stats.jobsCreated++;
          stats.maxConcurrentJobsSeen = Math.max(stats.maxConcurrentJobsSeen, active);
        },
      });
    }
    if (method === 'POST' && path === '/api/v2/jobs/users-exports') return exports.create(((await readBody(req)) ?? Buffer.alloc(0)).toString('utf8'), now());
    const jobMatch = JOB_PATH.exec(path);
    if (method === 'GET' && jobMatch?.[1] !== undefined) return jobRoute(decodeURIComponent(jobMatch[1]), jobMatch[2] !== undefined);
    if (method === 'GET' && path === '/api/v2/users-by-email') return usersByEmail(url.searchParams);
    const userMatch = USER_PATH.exec(path);
    if (method === 'GET' && userMatch?.[1] !== undefined) return userById(decodeURIComponent(userMatch[1]), url.searchParams);
    return apiError(404, 'Not Found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = req.method ?? 'GET';
    stats.requests++;
    const routeKey = `${method} ${url.pathname.replace(/\/job_[^/]+/, '/{id}').replace(USER_PATH, '/api/v2/users/{id}')}`;
    stats.byRoute[routeKey] = (stats.byRoute[routeKey] ?? 0) + 1;
    if (url.pathname === '/oauth/token' && method === 'POST') {
      const raw = (await readBody(req)) ?? Buffer.alloc(0);
      const reply = tokens.grant(req.headers['content-type'], raw.toString('utf8'));
      stats.tokensIssued = tokens.issued;
      send(res, reply, {});
      return;
    }
    const download = /^\/exports\/(job_[A-Za-z0-9]{16})\.(json|csv)\.gz$/.exec(url.pathname);
    if (method === 'GET' && download?.[1] !== undefined) {
      // Auth0 hands out a pre-signed storage URL: no bearer token, no Management API quota.
      if (req.headers.authorization !== undefined) stats.downloadsWithToken++;
      const file = exports.download(download[1], now());
      if (file === undefined) send(res, apiError(404, 'Not Found'), {});
      else {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': file.length });
        res.end(file);
      }
      return;
    }
    if (!url.pathname.startsWith('/api/v2/')) {
      send(res, apiError(404, 'Not Found'), {});
      return;
    }
    const decision = limiter?.acquire();
    const rateHeaders = decision?.headers ?? {};
    if (decision !== undefined && !decision.allowed) {
      stats.rateLimitViolations++;
      req.resume();
      send(res, RATE_LIMITED, rateHeaders);
      return;
    }
    const denied = authorize(req.headers.authorization);
    if (denied !== undefined) {
      req.resume();
      send(res, denied, rateHeaders);
      return;
    }
    send(res, await route(req, url), rateHeaders);
  }

  function send(res: ServerResponse, reply: FakeAuth0Reply, rateHeaders: Record<string, string>): void {
    const body = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(body === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-cache',
      ...rateHeaders,
      ...reply.headers,
    });
    res.end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, apiError(500, 'Internal Server Error'), {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const first = clients[0] ?? { clientId: '', clientSecret: '' };

  return {
    url: baseUrl,
    domain,
    clientId: first.clientId,
    clientSecret: first.clientSecret,
    connectionId: [...connections.keys()][0] ?? '',
    stats,
    users: (connectionId) => tables.get(connectionId ?? [...connections.keys()][0] ?? '')?.all() ?? [],
    job: (id) => jobs.get(id),
    activeJobs: () => jobs.active(),
    revokeTokens: () => tokens.revokeAll(),
    issuedTokens: () => tokens.list(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
