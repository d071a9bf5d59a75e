/**
 * A fake Stormpath REST API on 127.0.0.1 (random port) for the connector's tests and
 * demos: loginAttempts, accounts (get, attribute search, `q`, paging, expand), the
 * documented error bodies, 401/415/429, and failure injection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attributeMatches, type FakeAccount, type FakeStormpathAccountInput, parseExpand, renderAccount, SEARCHABLE, toFakeAccount } from './fake-accounts';

/** A failure the next matching requests meet. */
export interface FakeFailure {
  /** HTTP status to answer (e.g. 500, 503, 429), or `reset` to drop the connection, or `hang` to never answer. */
  kind: number | 'reset' | 'hang';
  /** How many requests fail (default 1). */
  times?: number;
  /** Only requests whose path matches (default: every request). */
  path?: RegExp;
  /** `Retry-After` seconds on a 429/503. */
  retryAfterSeconds?: number;
}

/** Options of {@link startFakeStormpath}. */
export interface FakeStormpathOptions {
  applicationId?: string;
  apiKeyId?: string;
  apiKeySecret?: string;
  accounts?: FakeStormpathAccountInput[];
}

/** One request the fake saw (no body, no auth header). */
export interface FakeStormpathRequest {
  method: string;
  path: string;
  query: Record<string, string>;
}

/** A running fake. */
export interface FakeStormpath {
  /** API root including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  applicationId: string;
  apiKeyId: string;
  apiKeySecret: string;
  /** Every request, in order. */
  requests: FakeStormpathRequest[];
  /** Add an account; returns its id. */
  addAccount(input: FakeStormpathAccountInput): string;
  /** Make the next matching requests fail. */
  inject(failure: FakeFailure): void;
  close(): Promise<void>;
}

const ERRORS: Record<number, [number, string, string]> = {
  7100: [400, 'Invalid username or password.', 'Login attempt failed because the specified password is incorrect.'],
  7101: [400, 'Invalid username or password.', 'Login attempt failed because the Account is disabled.'],
  7102: [400, 'Invalid username or password.', 'Login attempt failed because the Account is not verified.'],
  7103: [400, 'Invalid username or password.', 'Login attempt failed because the Account is locked.'],
  7104: [400, 'Invalid username or password.', "Login attempt failed because there is no Account in the Application's associated Account Stores with the specified username or email."],
  7105: [400, 'Invalid username or password.', 'Login attempt failed because the Account belongs to a disabled Group.'],
  7106: [400, 'Invalid username or password.', 'Login attempt failed because the Account belongs to a disabled Directory.'],
  7107: [400, 'Invalid username or password.', 'Login attempt failed because the Account belongs to a disabled Organization.'],
  2000: [400, 'Validation error.', 'The specified property value is required; it cannot be null, empty, or blank.'],
  2010: [400, 'Validation error.', "The specified property's maximum value is exceeded."],
  401: [401, 'Authentication required.', 'Authentication with a valid API Key is required.'],
  404: [404, 'The requested resource does not exist.', 'The requested resource does not exist.'],
  405: [405, 'Request method not allowed.', 'Request method not allowed.'],
  415: [415, 'Unsupported Media Type.', 'The request entity must be application/json.'],
  429: [429, 'Too many requests.', 'The request rate limit was exceeded; retry later.'],
  500: [500, 'Internal server error.', 'Something went wrong on our side.'],
};

const BLOCK_CODES = { locked: 7103, group_disabled: 7105, directory_disabled: 7106, organization_disabled: 7107 } as const;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, code: number, headers: Record<string, string> = {}): void {
  const [status, message, developerMessage] = ERRORS[code] ?? [code, 'Error.', 'Error.'];
  send(res, status, { status, code, message, developerMessage, moreInfo: `http://docs.stormpath.com/errors/${code}`, requestId: `req-${Math.random().toString(36).slice(2, 10)}` }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Start a fake Stormpath API. */
export async function startFakeStormpath(options: FakeStormpathOptions = {}): Promise<FakeStormpath> {
  const applicationId = options.applicationId ?? 'fakeApp1';
  const apiKeyId = options.apiKeyId ?? 'FAKEKEYID';
  const apiKeySecret = options.apiKeySecret ?? 'fake-api-key-secret-do-not-log';
  const accounts: FakeAccount[] = (options.accounts ?? []).map(toFakeAccount);
  const failures: Array<FakeFailure & { left: number }> = [];
  const requests: FakeStormpathRequest[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${apiKeyId}:${apiKeySecret}`).toString('base64')}`;
  let base = '';

  const login = async (req: IncomingMessage, res: ServerResponse, expand: Set<string>): Promise<void> => {
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return sendError(res, 415);
    let body: { type?: string; value?: string; accountStore?: { href?: string } };
    try {
      body = JSON.parse(await readBody(req)) as typeof body;
    } catch {
      return sendError(res, 2000);
    }
    if (body.type !== 'basic' || typeof body.value !== 'string') return sendError(res, 2000);
    const decoded = Buffer.from(body.value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return sendError(res, 2000);
    const login = decoded.slice(0, colon).toLowerCase();
    const password = decoded.slice(colon + 1);
    const storeDir = body.accountStore?.href?.split('/directories/')[1];
    const account = accounts.find((a) => (storeDir === undefined || a.directoryId === storeDir) && (a.email.toLowerCase() === login || a.username.toLowerCase() === login));
    if (!account) return sendError(res, 7104);
    if (account.password !== password) return sendError(res, 7100);
    if (account.status === 'DISABLED') return sendError(res, 7101);
    if (account.status === 'UNVERIFIED') return sendError(res, 7102);
    if (account.loginBlock) return sendError(res, BLOCK_CODES[account.loginBlock]);
    const full = renderAccount(base, account, parseExpand(null));
    send(res, 200, { account: expand.has('account') ? full : { href: full.href } });
  };

  const list = (res: ServerResponse, query: URLSearchParams, expand: Set<string>): void => {
    const offset = Number(query.get('offset') ?? '0');
    const limit = Number(query.get('limit') ?? '25');
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 100) return sendError(res, 2010);
    const q = query.get('q')?.toLowerCase();
    const matches = accounts.filter((a) => {
      for (const attr of SEARCHABLE) {
        const wanted = query.get(attr);
        if (wanted !== null && !attributeMatches(a[attr], wanted)) return false;
      }
      return q === undefined || [a.email, a.username, a.givenName, a.middleName ?? '', a.surname].some((v) => v.toLowerCase().includes(q));
    });
    const items = matches.slice(offset, offset + limit).map((a) => renderAccount(base, a, expand));
    send(res, 200, { href: `${base}/applications/${applicationId}/accounts`, offset, limit, size: items.length, items });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams) });
    const failure = failures.find((f) => f.left > 0 && (f.path === undefined || f.path.test(url.pathname)));
    if (failure) {
      failure.left -= 1;
      if (failure.kind === 'reset') return void req.socket.destroy();
      if (failure.kind === 'hang') return;
      const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
      return sendError(res, failure.kind, headers);
    }
    if (req.headers.authorization !== expectedAuth) return sendError(res, 401, { 'www-authenticate': 'Basic realm="Stormpath IAM"' });
    const expand = parseExpand(url.searchParams.get('expand'));
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] !== 'v1') return sendError(res, 404);
    if (parts[1] === 'applications') {
      if (parts[2] !== applicationId) return sendError(res, 404);
      if (parts[3] === 'loginAttempts' && parts.length === 4) return req.method === 'POST' ? login(req, res, expand) : sendError(res, 405);
      if (parts[3] === 'accounts' && parts.length === 4) return req.method === 'GET' ? list(res, url.searchParams, expand) : sendError(res, 405);
    }
    if (parts[1] === 'accounts' && parts.length === 3) {
      const account = accounts.find((a) => a.id === parts[2]);
      return account ? send(res, 200, renderAccount(base, account, expand)) : sendError(res, 404);
    }
    return sendError(res, 404);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendError(res, 500));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  return {
    url: base,
    applicationId,
    apiKeyId,
    apiKeySecret,
    requests,
    addAccount(input) {
      const account = toFakeAccount(input);
      accounts.push(account);
      return account.id;
    },
    inject(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
