/**
 * A small stand-in for Auth0 around the generated custom-database scripts: a fake
 * tenant on loopback (client-credentials `/oauth/token` issuing RS256 JWTs, and its
 * JWKS), and a script runner with Auth0's globals (`configuration`, `global`, the
 * error classes, `fetch`) that turns the script's callback into a promise.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createContext, runInContext } from 'node:vm';

/** Auth0's error for a wrong email or password. */
export class WrongUsernameOrPasswordError extends Error {
  constructor(
    readonly email: string,
    message: string,
  ) {
    super(message);
    this.name = 'WrongUsernameOrPasswordError';
  }
}

/** Auth0's error for a refused sign-up (e.g. `user_exists`). */
export class ValidationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}

/** Auth0's error for a blocked user. */
export class UnauthorizedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnauthorizedError';
  }
}

/** The fake tenant: issues client-credentials tokens for one client. */
export class FakeTenant {
  readonly clientId = 'ferryScriptsClient';
  readonly clientSecret = 'tenant-client-secret-0123456789';
  readonly audience = 'https://ferry.example.com/api';
  issuer = '';
  jwksUri = '';
  tokenUrl = '';
  tokensIssued = 0;
  private server: Server | undefined;
  private key: { privateKey: KeyObject; jwk: object } | undefined;

  async start(): Promise<this> {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.key = { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'tenant-1', alg: 'RS256', use: 'sig' } };
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        void this.handle(req.method ?? '', req.url ?? '', body).then(({ status, json }) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(json));
        });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.issuer = `${base}/`;
    this.jwksUri = `${base}/.well-known/jwks.json`;
    this.tokenUrl = `${base}/oauth/token`;
    return this;
  }

  private async handle(method: string, url: string, body: string): Promise<{ status: number; json: unknown }> {
    if (method === 'GET' && url === '/.well-known/jwks.json') return { status: 200, json: { keys: [this.key!.jwk] } };
    if (method === 'POST' && url === '/oauth/token') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
        return { status: 401, json: { error: 'access_denied', error_description: 'Unauthorized' } };
      }
      if (form.get('audience') !== this.audience) return { status: 403, json: { error: 'access_denied', error_description: 'Service not found' } };
      this.tokensIssued++;
      const now = Math.floor(Date.now() / 1000);
      const token = signJwt(
        { alg: 'RS256', typ: 'JWT', kid: 'tenant-1' },
        { iss: this.issuer, aud: this.audience, sub: `${this.clientId}@clients`, azp: this.clientId, gty: 'client-credentials', scope: 'ferry:login ferry:users', iat: now, exp: now + 3600 },
        this.key!.privateKey,
      );
      return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: 'ferry:login ferry:users' } };
    }
    return { status: 404, json: { error: 'not_found' } };
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }
}

/** What a script passed to its callback. */
export interface ScriptResult {
  error: Error | null | undefined;
  value: unknown;
  args: number;
  ms: number;
}

/** Runs generated scripts the way Auth0 does: one shared `global`, settings in `configuration`. */
export class ScriptRuntime {
  /** Auth0 keeps `global` between runs of the same container (the scripts cache the token there). */
  readonly global: Record<string, unknown> = {};

  constructor(
    private readonly dir: string,
    private readonly configuration: Record<string, string>,
  ) {}

  run(file: string, fn: string, ...args: unknown[]): Promise<ScriptResult> {
    const code = readFileSync(`${this.dir}/${file}`, 'utf8');
    const context = createContext({
      configuration: this.configuration,
      global: this.global,
      WrongUsernameOrPasswordError,
      ValidationError,
      UnauthorizedError,
      fetch,
      URLSearchParams,
      AbortController,
      setTimeout,
      clearTimeout,
      console,
    });
    const script = runInContext(`${code}\n;${fn}`, context) as (...a: unknown[]) => void;
    const started = performance.now();
    return new Promise((resolve) => {
      script(...args, (error: Error | null | undefined, value?: unknown, ...rest: unknown[]) => {
        resolve({ error, value, args: 1 + (value === undefined ? 0 : 1) + rest.length, ms: performance.now() - started });
      });
    });
  }
}

/** An RS256 JWT, signed the way a tenant does (node:crypto only). */
function signJwt(header: object, payload: object, key: KeyObject): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}
