/**
 * `ferry serve` and `ferry scripts auth0` end to end: the built binary serves a legacy
 * SQLite database; the generated Auth0 scripts run in Node (with a stand-in for Auth0's
 * script runtime and a fake tenant issuing client-credentials tokens) and behave as
 * Auth0 expects.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyConnectorConfig, legacyUserAt, writeLegacyDatabase, type LegacyUser } from '@ferry/testkit';
import { stringify } from 'yaml';
import { ferry } from './run-cli';
import { FakeTenant, ScriptRuntime, UnauthorizedError, ValidationError, WrongUsernameOrPasswordError } from './serve-auth0-runtime';
import { spawnServe, type ServeProcess } from './serve-process';

const SEED = 'serve-test';
const OPTS = { count: 40, seed: SEED, defectRate: 0, duplicateRate: 0 };
let dir: string;
let tenant: FakeTenant;
let server: ServeProcess;
let auth0: ScriptRuntime;
const users: LegacyUser[] = [];
const user = (i: number) => users[i] as LegacyUser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-serve-cli-'));
  tenant = await new FakeTenant().start();
  await writeLegacyDatabase(`sqlite:${join(dir, 'legacy.db')}`, OPTS);
  for (let i = 0; users.length < 6; i++) {
    const u = await legacyUserAt(OPTS, i);
    if (u.email && !u.disabled) users.push(u);
  }
  writeFileSync(
    join(dir, 'ferry.yaml'),
    stringify({
      store: 'sqlite:./ferry.db',
      connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') },
      serve: {
        auth: {
          jwt: { issuer: tenant.issuer, audience: tenant.audience, algorithms: ['RS256'], jwksUri: tenant.jwksUri },
          scopes: { login: ['ferry:login'], create_user: ['ferry:users'], change_password: ['ferry:users'], verify_email: ['ferry:users'], delete_user: ['ferry:users'] },
        },
      },
    }),
  );
  server = await spawnServe(dir);
  const out = await ferry(['scripts', 'auth0', '--out', join(dir, 'auth0'), '--json'], { cwd: dir });
  expect(out.code).toBe(0);
  expect((out.json() as { files: string[] }).files).toEqual(['login.js', 'get_user.js', 'create.js', 'verify.js', 'change_password.js', 'delete.js']);
  auth0 = new ScriptRuntime(join(dir, 'auth0'), {
    FERRY_URL: server.url,
    FERRY_TOKEN_URL: tenant.tokenUrl,
    FERRY_CLIENT_ID: tenant.clientId,
    FERRY_CLIENT_SECRET: tenant.clientSecret,
    FERRY_AUDIENCE: tenant.audience,
  });
}, 90000);

afterAll(async () => {
  if (server.child.exitCode === null) await server.stop('SIGKILL');
  await tenant.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('generated Auth0 scripts against a live ferry serve', () => {
  it('login: callback(null, profile) for the right password; the token is fetched once and cached in global', async () => {
    const r = await auth0.run('login.js', 'login', user(0).email, user(0).password);
    expect(r.error).toBeNull();
    expect(r.value).toEqual(expect.objectContaining({ user_id: expect.any(String), email: user(0).email }));
    const again = await auth0.run('login.js', 'login', user(0).email, user(0).password);
    expect((again.value as { user_id: string }).user_id).toBe((r.value as { user_id: string }).user_id);
    expect(tenant.tokensIssued).toBe(1);
  });

  it('login: WrongUsernameOrPasswordError alike for a wrong password and an unknown user', async () => {
    const wrong = await auth0.run('login.js', 'login', user(1).email, 'not-the-password');
    const unknown = await auth0.run('login.js', 'login', 'nobody@example.invalid', 'not-the-password');
    expect(wrong.error).toBeInstanceOf(WrongUsernameOrPasswordError);
    expect(unknown.error).toBeInstanceOf(WrongUsernameOrPasswordError);
    expect(wrong.error!.message).toBe(unknown.error!.message);
    expect(wrong.error).not.toBeInstanceOf(UnauthorizedError);
  });

  it('get_user: the same profile as login; callback(null) with nothing for an unknown email', async () => {
    const login = await auth0.run('login.js', 'login', user(2).email, user(2).password);
    const found = await auth0.run('get_user.js', 'getByEmail', user(2).email);
    expect(found.error).toBeNull();
    expect(found.value).toEqual(login.value);
    const none = await auth0.run('get_user.js', 'getByEmail', 'nobody@example.invalid');
    expect(none.error).toBeNull();
    expect(none.value).toBeUndefined();
  });

  it('create: callback(null) for a new email, ValidationError user_exists for a legacy one', async () => {
    const created = await auth0.run('create.js', 'create', { email: 'fresh@example.com', password: 'a-fresh-password', user_metadata: { from: 'auth0' } });
    expect(created.error).toBeNull();
    const taken = await auth0.run('create.js', 'create', { email: user(3).email, password: 'whatever-pw' });
    expect(taken.error).toBeInstanceOf(ValidationError);
    expect((taken.error as ValidationError).code).toBe('user_exists');
    expect((await auth0.run('login.js', 'login', 'fresh@example.com', 'a-fresh-password')).error).toBeNull();
  });

  it('change_password, verify, delete', async () => {
    const changed = await auth0.run('change_password.js', 'changePassword', user(4).email, 'changed-in-auth0');
    expect(changed).toEqual(expect.objectContaining({ error: null, value: true }));
    expect((await auth0.run('login.js', 'login', user(4).email, 'changed-in-auth0')).error).toBeNull();
    expect((await auth0.run('change_password.js', 'changePassword', 'nobody@example.invalid', 'x-x-x-x-x')).value).toBe(false);
    expect(await auth0.run('verify.js', 'verify', user(4).email)).toEqual(expect.objectContaining({ error: null, value: true }));
    const profile = (await auth0.run('get_user.js', 'getByEmail', user(4).email)).value as { user_id: string; email_verified: boolean };
    expect(profile.email_verified).toBe(true);
    expect((await auth0.run('delete.js', 'remove', profile.user_id)).error).toBeNull();
  });

  it('a rejected cached token is replaced once, transparently', async () => {
    auth0.global.ferryServeToken = { value: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', expiresAt: Date.now() + 3600_000 };
    const before = tenant.tokensIssued;
    const r = await auth0.run('login.js', 'login', user(5).email, user(5).password);
    expect(r.error).toBeNull();
    expect(tenant.tokensIssued).toBe(before + 1);
  });

  it('a wrong client secret is an Error, never a wrong password', async () => {
    const bad = new ScriptRuntime(join(dir, 'auth0'), { FERRY_URL: server.url, FERRY_TOKEN_URL: tenant.tokenUrl, FERRY_CLIENT_ID: tenant.clientId, FERRY_CLIENT_SECRET: 'wrong', FERRY_AUDIENCE: tenant.audience });
    const r = await bad.run('login.js', 'login', user(0).email, user(0).password);
    expect(r.error).toEqual(expect.objectContaining({ name: 'Error' }));
    expect(r.error).not.toBeInstanceOf(WrongUsernameOrPasswordError);
  });

  it('gives up well inside Auth0\'s 20-second limit when ferry serve does not answer', async () => {
    const sockets = new Set<Socket>();
    const blackHole: Server = createServer(() => undefined);
    blackHole.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    try {
      const hung = new ScriptRuntime(join(dir, 'auth0'), {
        FERRY_URL: `http://127.0.0.1:${(blackHole.address() as AddressInfo).port}`,
        FERRY_TOKEN_URL: tenant.tokenUrl,
        FERRY_CLIENT_ID: tenant.clientId,
        FERRY_CLIENT_SECRET: tenant.clientSecret,
        FERRY_AUDIENCE: tenant.audience,
      });
      const r = await hung.run('login.js', 'login', user(0).email, user(0).password);
      expect(r.error).toEqual(expect.objectContaining({ name: 'Error' }));
      expect(r.error).not.toBeInstanceOf(WrongUsernameOrPasswordError);
      expect(r.error!.message).toMatch(/timed out/);
      expect(r.ms).toBeLessThan(16000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => blackHole.close(r));
    }
  }, 30000);
});

describe('ferry serve process', () => {
  it('reports readiness and metrics, and stops cleanly on SIGTERM', async () => {
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true, store: { ok: true }, legacy: { ok: true } });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/ferry_logins_total\{outcome="success",origin="legacy",route="v1"\}/);
    const code = await server.stop('SIGTERM');
    expect(code).toBe(0);
    expect(server.stdout()).toContain('ferry serve stopped');
    expect(server.stderr()).toContain('SIGTERM');
    for (const u of users) expect(server.stdout() + server.stderr()).not.toContain(u.password);
  });

  it('refuses to start without auth settings', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'ferry-serve-noauth-'));
    try {
      writeFileSync(join(bare, 'ferry.yaml'), stringify({ connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
      const r = await ferry(['serve', '--port', '0'], { cwd: bare });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('serve.auth');
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
