/**
 * A live `ferry serve` on loopback for tests: the engine harness (SQLite store, real
 * hashing, MemoryLegacy), an RS256 key pair whose JWKS is served on loopback, and
 * helpers to mint tokens and call the API with fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { resolveServeConfig, startServe, type MigrationMode, type ServeHandle } from '../../src';
import { makeHarness, type Harness } from '../support/engine-harness';
import { MemoryLegacy } from '../support/memory-legacy';

export const ISSUER = 'https://tenant.example.auth0.com/';
export const AUDIENCE = 'https://ferry.example.com/api';
export const API_KEY = 'k'.repeat(12) + '-test-api-key-0123456789';

/** A key pair and a loopback JWKS endpoint serving its public half. */
export class TestIssuer {
  private server: Server | undefined;
  jwksUri = '';
  keys: { kid: string; privateKey: KeyLike; jwk: JWK }[] = [];
  jwksRequests = 0;

  async start(): Promise<this> {
    await this.rotate();
    this.server = createServer((req, res) => {
      this.jwksRequests++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.jwksUri = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return this;
  }

  /** Add a new signing key (the newest signs); older keys stay published unless `drop`. */
  async rotate(drop = false): Promise<void> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const kid = `k${this.keys.length + 1}`;
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    this.keys = drop ? [{ kid, privateKey, jwk }] : [...this.keys, { kid, privateKey, jwk }];
  }

  /** A client-credentials token; override any claim or header field. */
  async token(claims: Record<string, unknown> = {}, options: { expiresIn?: string | number; kid?: string } = {}): Promise<string> {
    const key = this.keys[this.keys.length - 1]!;
    return new SignJWT({ iss: ISSUER, aud: AUDIENCE, sub: 'abc123@clients', scope: 'ferry:login', gty: 'client-credentials', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '1h')
      .sign(key.privateKey);
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }
}

export interface LiveServe {
  h: Harness;
  serve: ServeHandle;
  legacy: MemoryLegacy;
  issuer: TestIssuer;
  url: string;
  /** fetch `path` with a fresh valid token (or `auth` as the Authorization header). The body is parsed JSON, loosely typed for assertions. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call(method: string, path: string, body?: unknown, auth?: string | null): Promise<{ status: number; body: any; headers: Headers; ms: number }>;
  stop(): Promise<void>;
}

/** Start a server with `serve` settings merged over test defaults (JWT + one API key). */
export async function startLive(options: { serve?: Record<string, unknown>; mode?: MigrationMode; legacy?: MemoryLegacy; issuer?: TestIssuer } = {}): Promise<LiveServe> {
  const issuer = options.issuer ?? (await new TestIssuer().start());
  const legacy = options.legacy ?? new MemoryLegacy();
  const h = await makeHarness({ mode: options.mode ?? 'import', legacy });
  const { auth, ...rest } = (options.serve ?? {}) as { auth?: Record<string, unknown> };
  const serve = await startServe({
    runtime: h.runtime,
    processMetrics: false,
    serve: resolveServeConfig({
      port: 0,
      auth: {
        jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], jwksUri: issuer.jwksUri, jwksCooldownSec: 0 },
        apiKeys: [{ name: 'keycloak', key: API_KEY }],
        ...auth,
      },
      adapters: { keycloak: true, kratos: true, okta: true },
      ...rest,
    }),
  });
  const url = serve.url;
  let token: string | undefined;
  return {
    h,
    serve,
    legacy,
    issuer,
    url,
    async call(method, path, body, auth) {
      token ??= await issuer.token();
      const headers: Record<string, string> = {};
      if (auth !== null) headers.authorization = auth ?? `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const t = performance.now();
      const res = await fetch(url + path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      const text = await res.text();
      const ms = performance.now() - t;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON (metrics) */
      }
      return { status: res.status, body: parsed, headers: res.headers, ms };
    },
    async stop() {
      await serve.close();
      await h.cleanup();
      if (options.issuer === undefined) await issuer.stop();
    },
  };
}

/** A legacy user with a known password. */
export function legacyUser(n: number, extra: Record<string, unknown> = {}) {
  return { profile: { user_id: `legacy-${n}`, email: `user${n}@example.com`, username: `user${n}`, given_name: `Given${n}`, family_name: `Family${n}`, email_verified: true, user_metadata: { plan: 'gold' }, ...extra }, password: `secret-${n}-pw` };
}
