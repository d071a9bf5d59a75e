/**
 * Token and API-key checks of `ferry serve` over real HTTP: every bad token is refused
 * with 401 or 403 before any legacy call.
 */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { Authenticator } from '../../src/server/auth';
import { VerifiedTokens } from '../../src/server/verified-tokens';
import { API_KEY, AUDIENCE, ISSUER, legacyUser, startLive, type LiveServe } from './serve-harness';

let live: LiveServe;
const login = { identifier: 'user1@example.com', password: 'secret-1-pw' };

beforeAll(async () => {
  live = await startLive({ serve: { auth: { scopes: { login: ['ferry:login'], delete_user: ['ferry:delete'] } } } });
  live.legacy.add(legacyUser(1));
});
afterAll(() => live.stop());

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('bearer tokens', () => {
  it('accepts a valid client-credentials token', async () => {
    const r = await live.call('POST', '/v1/login', login, `Bearer ${await live.issuer.token()}`);
    expect(r.status).toBe(200);
    expect(r.body.user.user_id).toBe('legacy-1');
  });

  const cases: [string, () => Promise<string>, number, string][] = [
    ['no Authorization header', async () => '', 401, 'unauthenticated'],
    ['wrong issuer', async () => live.issuer.token({ iss: 'https://evil.example.com/' }), 401, 'invalid_token'],
    ['wrong audience', async () => live.issuer.token({ aud: 'https://other-api.example.com' }), 401, 'invalid_token'],
    ['expired', async () => live.issuer.token({}, { expiresIn: Math.floor(Date.now() / 1000) - 120 }), 401, 'invalid_token'],
    ['alg none (unsigned)', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x@clients', scope: 'ferry:login', exp: Math.floor(Date.now() / 1000) + 600 })}.`, 401, 'invalid_token'],
    [
      'HS256 signed with the public key (algorithm confusion)',
      async () => {
        const jwk = live.issuer.keys[0]!.jwk;
        const header = b64({ alg: 'HS256', typ: 'JWT', kid: jwk.kid });
        const payload = b64({ iss: ISSUER, aud: AUDIENCE, sub: 'x@clients', scope: 'ferry:login', exp: Math.floor(Date.now() / 1000) + 600 });
        const sig = createHmac('sha256', JSON.stringify(jwk)).update(`${header}.${payload}`).digest('base64url');
        return `${header}.${payload}.${sig}`;
      },
      401,
      'invalid_token',
    ],
    [
      'ES256 (an algorithm not allowed)',
      async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        return new SignJWT({ scope: 'ferry:login' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x@clients').setExpirationTime('1h').sign(privateKey);
      },
      401,
      'invalid_token',
    ],
    [
      'signed by an unknown key',
      async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return new SignJWT({ scope: 'ferry:login' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('x@clients').setExpirationTime('1h').sign(privateKey);
      },
      401,
      'invalid_token',
    ],
    ['a user token (subject without @clients)', async () => live.issuer.token({ sub: 'auth0|user-42' }), 403, 'subject_not_allowed'],
    ['missing scope', async () => live.issuer.token({ scope: 'read:other' }), 403, 'insufficient_scope'],
  ];

  it.each(cases)('refuses %s', async (_name, make, status, code) => {
    const before = live.legacy.calls.login;
    const token = await make();
    const r = await live.call('POST', '/v1/login', login, token === '' ? null : `Bearer ${token}`);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(code);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(live.legacy.calls.login).toBe(before);
  });

  it('checks scopes per route (delete needs ferry:delete)', async () => {
    const r = await live.call('DELETE', '/v1/users/legacy-1', undefined, `Bearer ${await live.issuer.token()}`);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('insufficient_scope');
    const ok = await live.call('DELETE', '/v1/users/nobody', undefined, `Bearer ${await live.issuer.token({ permissions: ['ferry:delete'] })}`);
    expect(ok.status).toBe(404);
  });

  it('follows key rotation: a token signed by a new key is accepted after a JWKS refetch', async () => {
    await live.issuer.rotate(true);
    const r = await live.call('POST', '/v1/login', login, `Bearer ${await live.issuer.token()}`);
    expect(r.status).toBe(200);
  });
});

describe('verified-token memory', () => {
  it('remembers a verified token, but only that exact token, and still checks route scopes', async () => {
    const tokens = new VerifiedTokens();
    const auth = new Authenticator({ jwt: { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], jwksUri: live.issuer.jwksUri }, scopes: { delete_user: ['ferry:delete'] } }, tokens);
    const token = await live.issuer.token();
    expect(await auth.authenticate(`Bearer ${token}`, 'login')).toMatchObject({ ok: true, principal: { client: 'abc123@clients' } });
    expect(tokens.size).toBe(1);
    expect(await auth.authenticate(`Bearer ${token}`, 'login')).toMatchObject({ ok: true, principal: { client: 'abc123@clients' } });
    expect(await auth.authenticate(`Bearer ${token}`, 'delete_user')).toMatchObject({ ok: false, status: 403, code: 'insufficient_scope' });
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await auth.authenticate(`Bearer ${tampered}`, 'login')).toMatchObject({ ok: false, status: 401, code: 'invalid_token' });
    expect(tokens.size).toBe(1);
  });
});

describe('API keys', () => {
  it('accepts the key as Bearer, as the Basic password, and as the raw header (Okta)', async () => {
    for (const header of [`Bearer ${API_KEY}`, `Basic ${Buffer.from(`keycloak:${API_KEY}`).toString('base64')}`, API_KEY]) {
      const r = await live.call('POST', '/v1/adapters/kratos/password-migration', login, header);
      expect(r.status).toBe(200);
    }
  });

  it('refuses a wrong key, a prefix of the key and a longer key alike', async () => {
    for (const key of ['wrong', API_KEY.slice(0, -1), `${API_KEY}x`]) {
      const r = await live.call('POST', '/v1/adapters/kratos/password-migration', login, `Bearer ${key}`);
      expect(r.status).toBe(401);
    }
  });

  it('applies route scopes to keys too (the key has none; login needs ferry:login)', async () => {
    const r = await live.call('POST', '/v1/login', login, `Bearer ${API_KEY}`);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('insufficient_scope');
  });
});

describe('authentication before the body is read', () => {
  const oversized = { identifier: 'user1@example.com', password: 'x'.repeat(20000) };

  it.each([
    ['unknown fields', { identifier: 'a@b.c', password: 'x', admin: true }],
    ['a missing field', { identifier: 'a@b.c' }],
    ['invalid JSON', '{"identifier": '],
    ['a body over the limit', oversized],
  ])('refuses a caller without credentials with 401 whatever the body (%s)', async (_name, body) => {
    const before = live.legacy.calls.login;
    const r = await live.call('POST', '/v1/login', body, null);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthenticated');
    expect(live.legacy.calls.login).toBe(before);
  });

  it('refuses a bad token or key before the body too, on adapters as well', async () => {
    const bad = await live.call('POST', '/v1/login', oversized, `Bearer ${await live.issuer.token({ iss: 'https://evil.example.com/' })}`);
    expect([bad.status, bad.body.error.code]).toEqual([401, 'invalid_token']);
    const kratos = await live.call('POST', '/v1/adapters/kratos/password-migration', { nonsense: true }, 'Bearer wrong-key');
    expect([kratos.status, kratos.body.error.code]).toEqual([401, 'invalid_credentials_for_api']);
    const keycloak = await live.call('POST', '/v1/adapters/keycloak/users/user1%40example.com', oversized, null);
    expect(keycloak.status).toBe(401);
  });

  it('refuses a body that is not JSON with 401, not 415', async () => {
    const r = await fetch(`${live.url}/v1/login`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('checks scopes before the body (403), and validates the body of an allowed caller (400, 413)', async () => {
    const noScope = await live.call('POST', '/v1/login', { admin: true }, `Bearer ${await live.issuer.token({ scope: 'read:other' })}`);
    expect([noScope.status, noScope.body.error.code]).toEqual([403, 'insufficient_scope']);
    const token = `Bearer ${await live.issuer.token()}`;
    const invalid = await live.call('POST', '/v1/login', { admin: true }, token);
    expect([invalid.status, invalid.body.error.code]).toEqual([400, 'request_invalid']);
    const big = await live.call('POST', '/v1/login', oversized, token);
    expect([big.status, big.body.error.code]).toEqual([413, 'body_too_large']);
  });
});
