/**
 * A fake Okta org on 127.0.0.1 (random port): authn, the password grant, the Users
 * API, Okta's rate-limit headers and 429s, error bodies, latency and failure injection.
 * Faithful to the shapes in Okta's docs; not to its policies beyond what is modelled.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authn, type FakeReply, token } from './fake-okta-authn';
import { FakeOktaDirectory } from './fake-okta-directory';
import { oktaError } from './fake-okta-errors';
import type { FakeOktaFailure, FakeOktaOptions, FakeOktaStats } from './fake-okta-types';
import { getUser, listUsers } from './fake-okta-users';
import { FakeRateLimiter } from './fake-rate-limiter';

/** A running fake Okta org. */
export interface FakeOkta {
  /** `http://127.0.0.1:{port}`: the `orgUrl`. */
  url: string;
  /** The SSWS token the Users API accepts. */
  apiToken: string;
  /** The org's users (add more or change statuses from tests). */
  directory: FakeOktaDirectory;
  /** Request counters. */
  stats: FakeOktaStats;
  /** Replace the injected failures. */
  setFailures(failures: FakeOktaFailure[]): void;
  /** Stop the server (and drop open connections). */
  close(): Promise<void>;
}

const TOKEN_PATH = /^\/oauth2(?:\/([A-Za-z0-9_-]+))?\/v1\/token$/;
const USER_PATH = /^\/api\/v1\/users\/([^/]+)$/;

function readRaw(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function latency(option: FakeOktaOptions['latencyMs']): number {
  if (option === undefined) return 0;
  if (typeof option === 'number') return option;
  return option.min + Math.random() * (option.max - option.min);
}

/** Start a fake Okta org. */
export async function startFakeOkta(options: FakeOktaOptions = {}): Promise<FakeOkta> {
  const directory = new FakeOktaDirectory(options.users);
  const apiToken = options.apiToken ?? 'fake-okta-token';
  const limiter = new FakeRateLimiter({ authn: options.rateLimits?.authn, users: options.rateLimits?.users }, options.rateLimits?.concurrency);
  const stats: FakeOktaStats = { requests: 0, rateLimited: 0, concurrencyLimited: 0, failed: 0, byRoute: {} };
  let failures = (options.failures ?? []).map((f) => ({ ...f }));
  let baseUrl = '';

  function injected(path: string, query: URLSearchParams): FakeOktaFailure | undefined {
    for (const failure of failures) {
      if (failure.path !== undefined && !path.startsWith(failure.path)) continue;
      if (failure.limitAbove !== undefined && Number(query.get('limit') ?? 200) <= failure.limitAbove) continue;
      if (failure.times !== undefined) {
        if (failure.times <= 0) continue;
        failure.times--;
      }
      return failure;
    }
    return undefined;
  }

  async function route(req: IncomingMessage, path: string, query: URLSearchParams): Promise<FakeReply> {
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/api/v1/authn') return authn(directory, options, await readRaw(req), baseUrl);
    const tokenMatch = TOKEN_PATH.exec(path);
    if (method === 'POST' && tokenMatch !== null) {
      const issuer = tokenMatch[1] === undefined ? baseUrl : `${baseUrl}/oauth2/${tokenMatch[1]}`;
      return token(directory, options, await readRaw(req), req.headers.authorization, issuer);
    }
    if (path.startsWith('/api/v1/users')) {
      if (req.headers.authorization !== `SSWS ${apiToken}`) return oktaError('E0000011');
      if (method === 'GET' && path === '/api/v1/users') return listUsers(directory, query, baseUrl);
      const userMatch = USER_PATH.exec(path);
      if (method === 'GET' && userMatch !== null) return getUser(directory, decodeURIComponent(userMatch[1] ?? ''), baseUrl);
    }
    return { status: 404, body: { errorCode: 'E0000022', errorSummary: 'The endpoint does not support the provided HTTP method', errorLink: 'E0000022', errorId: 'oaefake', errorCauses: [] } };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const path = url.pathname;
    stats.requests++;
    const routeKey = `${req.method ?? 'GET'} ${path.startsWith('/api/v1/users/') ? '/api/v1/users/:id' : path}`;
    stats.byRoute[routeKey] = (stats.byRoute[routeKey] ?? 0) + 1;
    const bucket = path.startsWith('/api/v1/users') ? 'users' : 'authn';
    const decision = limiter.acquire(bucket);
    try {
      const delay = latency(options.latencyMs);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      const failure = injected(path, url.searchParams);
      if (failure !== undefined) {
        stats.failed++;
        if (failure.fail === 'drop') {
          req.socket.destroy();
          return;
        }
        send(res, { status: failure.fail, body: oktaError('E0000009').body }, decision.headers);
        return;
      }
      if (!decision.allowed) {
        if (decision.concurrency) stats.concurrencyLimited++;
        else stats.rateLimited++;
        send(res, oktaError('E0000047'), decision.headers);
        return;
      }
      send(res, await route(req, path, url.searchParams), decision.headers);
    } finally {
      limiter.release();
    }
  }

  function send(res: ServerResponse, reply: FakeReply, rateHeaders: Record<string, string>): void {
    const body = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-okta-request-id': Math.random().toString(36).slice(2),
      ...rateHeaders,
      ...reply.headers,
    });
    res.end(body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, oktaError('E0000009'), {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiToken,
    directory,
    stats,
    setFailures(next) {
      failures = next.map((f) => ({ ...f }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
