/**
 * A fake Gigya (SAP Customer Data Cloud) site on 127.0.0.1: accounts.login,
 * accounts.getAccountInfo and accounts.search (the query subset in fake-gigya-query.ts,
 * cursors that expire and are single-use), the always-200 envelope with documented
 * error codes, credential and signature checks, data-center mismatch (301001), a
 * per-second rate limit (403048) and injected failures.
 *
 * Paths are `/accounts.{dataCenter}/{method}`: the data center the client chose shows
 * in the path, since a fake on one port cannot be several hosts. Point the connector's
 * `baseUrl` at {@link FakeGigya.baseUrl}.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PasswordHashingService } from '@ferry/core';
import { buildFakeAccount, type FakeGigyaAccount, type FakeGigyaAccountInput } from './fake-gigya-accounts';
import { errorEnvelope, type GigyaBody, okEnvelope } from './fake-gigya-envelope';
import { matches, parseQuery, project, QuerySyntaxError, valueAt } from './fake-gigya-query';

/** Options of {@link startFakeGigya}. */
export interface FakeGigyaOptions {
  accounts?: FakeGigyaAccountInput[];
  dataCenter?: string;
  apiKey?: string;
  userKey?: string;
  /** Base64, like a real secret. */
  secret?: string;
  /** Requests per second before 403048 (fixed one-second windows). Default unlimited. */
  rateLimitPerSecond?: number;
  /** Idle time after which a cursor expires. Default 5 minutes. */
  cursorTtlMs?: number;
  /** Accepted clock skew of signed requests, seconds. Default 120. */
  signatureWindowSeconds?: number;
}

/** A failure to inject: an envelope error code, or an HTTP status, for the next `times` calls. */
export interface FakeGigyaFailure {
  method?: string;
  errorCode?: number;
  httpStatus?: number;
  times: number;
}

/** One request as the fake saw it (parameters include credentials: tests may assert on them). */
export interface FakeGigyaRequest {
  method: string;
  dataCenter: string;
  params: Record<string, string>;
  errorCode: number;
}

/** A running fake Gigya site. */
export interface FakeGigya {
  /** `http://127.0.0.1:{port}`. */
  url: string;
  /** The connector's `baseUrl`: `{url}/accounts.{dataCenter}`. */
  baseUrl: string;
  dataCenter: string;
  apiKey: string;
  userKey: string;
  secret: string;
  /** The last 1,000 requests. */
  requests: FakeGigyaRequest[];
  /** Calls per method. */
  calls: Record<string, number>;
  addAccount(input: FakeGigyaAccountInput): FakeGigyaAccount;
  /** Accounts by UID (mutable, for tests). */
  accounts: Map<string, FakeGigyaAccount>;
  inject(failure: FakeGigyaFailure): void;
  /** Make every open cursor expire now. */
  expireCursors(): void;
  close(): Promise<void>;
}

interface Cursor {
  items: FakeGigyaAccount[];
  position: number;
  batch: number;
  fields: '*' | string[];
  lastUsed: number;
}

function encode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Gigya's signature over a POST of `params` to `url` (the fake's own implementation). */
function expectedSignature(secret: string, url: string, params: Record<string, string>): string {
  const pairs = Object.keys(params)
    .filter((k) => k !== 'sig')
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k] as string)}`)
    .join('&');
  return createHmac('sha1', Buffer.from(secret, 'base64')).update(`POST&${encode(url)}&${encode(pairs)}`).digest('base64');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const READ_FIELDS = ['UID', 'created', 'createdTimestamp', 'isActive', 'isRegistered', 'isVerified', 'lastUpdated', 'lastUpdatedTimestamp', 'loginProvider', 'socialProviders', 'verified', 'verifiedTimestamp'];

/** Start a fake Gigya site. */
export async function startFakeGigya(options: FakeGigyaOptions = {}): Promise<FakeGigya> {
  const dataCenter = options.dataCenter ?? 'us1.gigya.com';
  const apiKey = options.apiKey ?? '3_fakeGigyaApiKey';
  const userKey = options.userKey ?? 'AFakeUserKey';
  const secret = options.secret ?? Buffer.from('fake-gigya-secret-key').toString('base64');
  const ttl = options.cursorTtlMs ?? 5 * 60_000;
  const window = options.signatureWindowSeconds ?? 120;
  const accounts = new Map<string, FakeGigyaAccount>();
  const byLogin = new Map<string, FakeGigyaAccount>();
  const regTokens = new Map<string, string>();
  const cursors = new Map<string, Cursor>();
  const requests: FakeGigyaRequest[] = [];
  const calls: Record<string, number> = {};
  const failures: FakeGigyaFailure[] = [];
  const hashing = new PasswordHashingService();
  let rate = { second: 0, used: 0 };
  let url = '';

  function addAccount(input: FakeGigyaAccountInput): FakeGigyaAccount {
    const stored = buildFakeAccount(input);
    accounts.set(stored.account.UID, stored);
    const ids = stored.account.loginIDs as { emails: string[]; username?: string };
    for (const e of ids.emails) byLogin.set(e.toLowerCase(), stored);
    if (ids.username !== undefined) byLogin.set(ids.username.toLowerCase(), stored);
    return stored;
  }
  for (const a of options.accounts ?? []) addAccount(a);

  function readable(stored: FakeGigyaAccount, include: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of READ_FIELDS) if (stored.account[k] !== undefined) out[k] = stored.account[k];
    for (const k of include) if (stored.account[k] !== undefined) out[k] = stored.account[k];
    return out;
  }

  function credentials(params: Record<string, string>, requestUrl: string): number {
    if (params.apiKey !== apiKey) return 400093;
    if (params.userKey === undefined) return params.secret === undefined && params.sig === undefined ? 400002 : 403005;
    if (params.userKey !== userKey) return 403005;
    if (params.sig !== undefined) {
      const ts = Number(params.timestamp);
      if (!Number.isFinite(ts) || params.nonce === undefined) return 400002;
      if (Math.abs(Date.now() / 1000 - ts) > window) return 403002;
      return same(params.sig, expectedSignature(secret, requestUrl, params)) ? 0 : 403003;
    }
    if (params.secret === undefined) return 400002;
    return same(params.secret, secret) ? 0 : 403003;
  }

  async function login(params: Record<string, string>): Promise<GigyaBody> {
    if (params.loginID === undefined || params.password === undefined) return errorEnvelope(400002, 'loginID and password are required');
    const stored = byLogin.get(params.loginID.toLowerCase());
    if (stored === undefined) return errorEnvelope(403042);
    if (stored.loginState === 'locked') return errorEnvelope(403120);
    const pw = stored.account.password as { hash: string; hashSettings: Record<string, unknown> } | undefined;
    const right =
      stored.plaintext !== undefined ? same(stored.plaintext, params.password) : pw !== undefined && (await hashing.verify({ algorithm: 'gigya', ...pw } as never, params.password)).match;
    if (!right) return errorEnvelope(403042);
    if (stored.account.isActive === false) return errorEnvelope(403041);
    const pending = { pendingRegistration: 206001, pendingVerification: 206002, pendingPasswordChange: 403100, pendingTfa: 403101 } as const;
    if (stored.loginState !== undefined) {
      const regToken = randomBytes(12).toString('hex');
      regTokens.set(regToken, stored.account.UID);
      return errorEnvelope(pending[stored.loginState], undefined, { regToken });
    }
    const include = (params.include ?? 'profile,data').split(',').map((s) => s.trim());
    return okEnvelope({
      ...readable(stored, include.filter((k) => k !== 'password')),
      UIDSignature: 'fakeSig=',
      signatureTimestamp: String(Math.floor(Date.now() / 1000)),
      sessionInfo: { cookieName: `glt_${apiKey}`, cookieValue: randomBytes(16).toString('hex') },
    });
  }

  function getAccountInfo(params: Record<string, string>): GigyaBody {
    const uid = params.UID ?? (params.regToken === undefined ? undefined : regTokens.get(params.regToken));
    if (uid === undefined) return errorEnvelope(params.regToken === undefined ? 400002 : 400006, params.regToken === undefined ? 'UID is required' : 'regToken');
    const stored = accounts.get(uid);
    if (stored === undefined) return errorEnvelope(403005);
    return okEnvelope(readable(stored, (params.include ?? 'profile,data').split(',').map((s) => s.trim())));
  }

  function page(cursor: Cursor): GigyaBody {
    const slice = cursor.items.slice(cursor.position, cursor.position + cursor.batch);
    cursor.position += slice.length;
    const fields: Record<string, unknown> = { results: slice.map((s) => project(s.account, cursor.fields)), objectsCount: slice.length, totalCount: cursor.items.length };
    if (cursor.position < cursor.items.length) {
      // Cursor ids are single-use: each page hands out a new one.
      const id = randomBytes(18).toString('base64url');
      cursor.lastUsed = Date.now();
      cursors.set(id, cursor);
      fields.nextCursorId = id;
    }
    return okEnvelope(fields);
  }

  function search(params: Record<string, string>): GigyaBody {
    if (params.cursorId !== undefined) {
      const cursor = cursors.get(params.cursorId);
      cursors.delete(params.cursorId);
      if (cursor === undefined || Date.now() - cursor.lastUsed > ttl) return errorEnvelope(400006, 'Invalid cursorId: unknown or expired');
      return page(cursor);
    }
    if (params.query === undefined) return errorEnvelope(400002, 'query is required');
    let query;
    try {
      query = parseQuery(params.query);
    } catch (err) {
      if (err instanceof QuerySyntaxError) return errorEnvelope(400006, `Invalid query: ${err.message}`);
      throw err;
    }
    let items = [...accounts.values()];
    if (query.where !== undefined) items = items.filter((s) => matches(s.account, query.where!));
    if (query.orderBy !== undefined) {
      const { field, descending } = query.orderBy;
      items.sort((a, b) => {
        const x = valueAt(a.account, field) as string | number;
        const y = valueAt(b.account, field) as string | number;
        const r = x < y ? -1 : x > y ? 1 : 0;
        return descending ? -r : r;
      });
    }
    if (params.openCursor === 'true') {
      if (query.start !== undefined) return errorEnvelope(400006, 'START cannot be used with cursors');
      const batch = query.limit ?? 300;
      if (batch > 1000) return errorEnvelope(400006, 'LIMIT with a cursor is at most 1000');
      return page({ items, position: 0, batch, fields: query.fields, lastUsed: Date.now() });
    }
    const start = query.start ?? 0;
    const limit = query.limit ?? 300;
    if (start > 5000 || limit > 10000) return errorEnvelope(400006, 'START is at most 5000 and LIMIT at most 10000');
    const slice = items.slice(start, Math.min(start + limit, 5000));
    return okEnvelope({ results: slice.map((s) => project(s.account, query.fields)), objectsCount: slice.length, totalCount: items.length });
  }

  function takeFailure(method: string): FakeGigyaFailure | undefined {
    const f = failures.find((x) => x.times > 0 && (x.method === undefined || x.method === method));
    if (f) f.times--;
    return f;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', url);
    const segments = u.pathname.split('/').filter(Boolean);
    const method = segments.at(-1) ?? '';
    const host = segments.length > 1 ? (segments[0] as string) : `accounts.${dataCenter}`;
    const dc = host.replace(/^accounts\./, '');
    const body = req.method === 'POST' ? await readBody(req) : '';
    const params: Record<string, string> = Object.fromEntries(u.searchParams);
    for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    calls[method] = (calls[method] ?? 0) + 1;

    const reply = async (): Promise<GigyaBody | number> => {
      const failure = takeFailure(method);
      if (failure?.httpStatus !== undefined) return failure.httpStatus;
      if (failure?.errorCode !== undefined) return errorEnvelope(failure.errorCode);
      if (options.rateLimitPerSecond !== undefined) {
        const second = Math.floor(Date.now() / 1000);
        if (second !== rate.second) rate = { second, used: 0 };
        if (++rate.used > options.rateLimitPerSecond) return errorEnvelope(403048);
      }
      if (params.apiKey === apiKey && dc !== dataCenter) return errorEnvelope(301001, `Please use ${dataCenter}`, { apiDomain: dataCenter });
      const auth = credentials(params, `http://${(req.headers.host ?? '').toLowerCase()}${u.pathname}`);
      if (auth !== 0) return errorEnvelope(auth);
      switch (method) {
        case 'accounts.login':
          return login(params);
        case 'accounts.getAccountInfo':
          return getAccountInfo(params);
        case 'accounts.search':
          return search(params);
        default:
          return errorEnvelope(400006, `Unknown method ${method}`);
      }
    };
    const out = await reply();
    requests.push({ method, dataCenter: dc, params, errorCode: typeof out === 'number' ? -out : out.errorCode });
    if (requests.length > 1000) requests.shift();
    if (typeof out === 'number') {
      res.writeHead(out, { 'content-type': 'text/html' });
      res.end(`<html><body>${out}</body></html>`);
      return;
    }
    const text = JSON.stringify(out);
    res.writeHead(200, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) {
        const text = JSON.stringify(errorEnvelope(500001));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(text);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    baseUrl: `${url}/accounts.{dataCenter}`,
    dataCenter,
    apiKey,
    userKey,
    secret,
    requests,
    calls,
    accounts,
    addAccount,
    inject: (failure) => failures.push({ ...failure }),
    expireCursors: () => {
      for (const c of cursors.values()) c.lastUsed = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
