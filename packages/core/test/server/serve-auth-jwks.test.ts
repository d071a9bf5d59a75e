/**
 * When the issuer's key set cannot be fetched, `ferry serve` answers 503
 * `jwks_unavailable` with Retry-After (the caller's token is not at fault), over real
 * HTTP against a loopback JWKS that fails in each way; a token the fetched set does not
 * know stays 401. And the JWKS must come over https except from loopback.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../../src/errors';
import { resolveServeConfig } from '../../src/server/serve-config';
import { AUDIENCE, ISSUER, legacyUser, startLive, TestIssuer, type LiveServe } from './serve-harness';

type Mode = 'ok' | 'status500' | 'invalidJson' | 'malformed' | 'empty' | 'reset';

/** A loopback JWKS publishing `issuer`'s keys, or failing as `mode` says. */
class JwksServer {
  mode: Mode = 'ok';
  requests = 0;
  private server: Server | undefined;
  url = '';

  constructor(private readonly issuer: TestIssuer) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.requests++;
      if (this.mode === 'reset') return req.socket.destroy();
      res.setHeader('content-type', 'application/json');
      if (this.mode === 'status500') res.statusCode = 500;
      const keys = this.issuer.keys.map((k) => k.jwk);
      const bodies: Record<Exclude<Mode, 'reset'>, string> = {
        ok: JSON.stringify({ keys }),
        status500: '{"error":"internal"}',
        invalidJson: '<html>maintenance</html>',
        malformed: '{"keys":"none"}',
        empty: '{"keys":[]}',
      };
      res.end(bodies[this.mode]);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

/** A loopback URL nothing listens on: a port that was just bound, then closed. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}

const login = { identifier: 'user1@example.com', password: 'secret-1-pw' };

let issuer: TestIssuer;
let jwks: JwksServer;
let live: LiveServe | undefined;

beforeAll(async () => {
  issuer = new TestIssuer();
  await issuer.rotate();
});
beforeEach(async () => {
  jwks = await new JwksServer(issuer).start();
  issuer.jwksUri = jwks.url;
});
afterEach(async () => {
  await live?.stop();
  live = undefined;
  await jwks.stop();
});

/** A server that has fetched no key set yet. */
async function coldServe(): Promise<LiveServe> {
  live = await startLive({ issuer });
  live.legacy.add(legacyUser(1));
  return live;
}

/** A fresh token (a new `jti`, so no verified-token memory answers for it). */
const token = (claims: Record<string, unknown> = {}, options: { kid?: string; expiresIn?: number } = {}) => issuer.token({ jti: randomUUID(), ...claims }, options);

async function expectUnavailable(l: LiveServe, bearer: string): Promise<void> {
  const before = l.legacy.calls.login;
  const r = await l.call('POST', '/v1/login', login, `Bearer ${bearer}`);
  expect(r.status).toBe(503);
  expect(r.body.error.code).toBe('jwks_unavailable');
  expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(l.legacy.calls.login).toBe(before);
}

async function authFailures(l: LiveServe): Promise<Record<string, number>> {
  const { values } = await l.serve.metrics.authFailures.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.code), v.value]));
}

describe('the key set cannot be fetched: 503 jwks_unavailable', () => {
  it.each<[string, Mode]>([
    ['answers 500', 'status500'],
    ['answers something that is not JSON', 'invalidJson'],
    ['answers JSON that is not a key set', 'malformed'],
    ['answers a key set without keys', 'empty'],
    ['drops the connection', 'reset'],
  ])('when the JWKS %s', async (_name, mode) => {
    jwks.mode = mode;
    const l = await coldServe();
    await expectUnavailable(l, await token());
    expect(jwks.requests).toBeGreaterThanOrEqual(1);
    expect(await authFailures(l)).toEqual({ jwks_unavailable: 1 });
    expect(l.h.logs.join('')).toContain('auth could not be checked');
  });

  it('when the JWKS refuses connections', async () => {
    issuer.jwksUri = await refusingUrl();
    const l = await coldServe();
    await expectUnavailable(l, await token());
    expect(l.h.logs.join('')).toContain('ECONNREFUSED');
  });

  it('recovers once the JWKS answers again', async () => {
    jwks.mode = 'status500';
    const l = await coldServe();
    await expectUnavailable(l, await token());
    jwks.mode = 'ok';
    expect((await l.call('POST', '/v1/login', login, `Bearer ${await token()}`)).status).toBe(200);
  });

  it('a new kid during an outage is 503, while tokens of cached keys still pass', async () => {
    const l = await coldServe();
    expect((await l.call('POST', '/v1/login', login, `Bearer ${await token()}`)).status).toBe(200);
    jwks.mode = 'status500';
    await expectUnavailable(l, await token({}, { kid: 'rotated-in-during-outage' }));
    expect((await l.call('POST', '/v1/login', login, `Bearer ${await token()}`)).status).toBe(200);
  });
});

describe('token errors stay 401 invalid_token', () => {
  it('a kid the fetched key set does not have', async () => {
    const l = await coldServe();
    const requests = jwks.requests;
    const r = await l.call('POST', '/v1/login', login, `Bearer ${await token({}, { kid: 'unknown-kid' })}`);
    expect([r.status, r.body.error.code]).toEqual([401, 'invalid_token']);
    expect(r.headers.get('retry-after')).toBeNull();
    expect(jwks.requests).toBeGreaterThan(requests);
    expect(await authFailures(l)).toEqual({ invalid_token: 1 });
  });

  it('an expired token or one of another issuer, while the JWKS is down but its keys are cached', async () => {
    const l = await coldServe();
    expect((await l.call('POST', '/v1/login', login, `Bearer ${await token()}`)).status).toBe(200);
    jwks.mode = 'status500';
    const expired = await token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 });
    for (const bearer of [expired, await token({ iss: 'https://evil.example.com/' }), await token({ aud: `${AUDIENCE}/other` })]) {
      const r = await l.call('POST', '/v1/login', login, `Bearer ${bearer}`);
      expect([r.status, r.body.error.code]).toEqual([401, 'invalid_token']);
    }
  });

  it('an algorithm not allowed, even with no key set fetched (it is refused before any key is looked up)', async () => {
    jwks.mode = 'status500';
    const l = await coldServe();
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x@clients', exp: Math.floor(Date.now() / 1000) + 600 })}.`;
    const r = await l.call('POST', '/v1/login', login, `Bearer ${unsigned}`);
    expect([r.status, r.body.error.code]).toEqual([401, 'invalid_token']);
  });
});

describe('serve.auth.jwt.jwksUri must be https (http only on loopback)', () => {
  const withJwks = (jwksUri: string) => ({ auth: { jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], jwksUri } } });

  it.each(['http://tenant.example.auth0.com/.well-known/jwks.json', 'http://10.0.0.5:8080/jwks', 'http://127.0.0.1.evil.example/jwks', 'http://[::2]/jwks'])('refuses %s', (uri) => {
    let error: unknown;
    try {
      resolveServeConfig(withJwks(uri));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ code: 'serve_jwks_uri_insecure', message: expect.stringContaining('must use https') as unknown, hint: expect.stringContaining('localhost') as unknown });
  });

  it.each(['https://tenant.example.auth0.com/.well-known/jwks.json', 'http://localhost:4000/jwks', 'http://127.0.0.1/jwks', 'http://127.8.9.10:1234/jwks', 'http://[::1]:4000/jwks'])('accepts %s', (uri) => {
    expect(resolveServeConfig(withJwks(uri)).auth.jwt?.jwksUri).toBe(uri);
  });
});
