/**
 * The /v1 routes over real HTTP: they run the engine (migrating in import mode), answer
 * stable JSON with error codes, throttle before legacy, and make unknown users look
 * exactly like wrong passwords.
 */
import { openApiDocument } from '../../src/server/openapi';
import { resolveServeConfig } from '../../src/server/serve-config';
import { API_KEY, legacyUser, startLive, type LiveServe } from './serve-harness';

let live: LiveServe;

beforeAll(async () => {
  live = await startLive({ serve: { throttle: { identifier: { burst: 3, perMinute: 1 }, client: { burst: 1000, perMinute: 60000 } } } });
  for (let n = 1; n <= 9; n++) live.legacy.add(legacyUser(n));
  live.legacy.add({ ...legacyUser(10), status: 'locked' });
});
afterAll(() => live.stop());

describe('/v1 routes', () => {
  it('login migrates on first success, then verifies from the store without legacy', async () => {
    const first = await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ user: expect.objectContaining({ user_id: 'legacy-1', email: 'user1@example.com' }), source: 'legacy', migrated: true });
    const calls = live.legacy.calls.login;
    const again = await live.call('POST', '/v1/login', { identifier: 'USER1@example.com', password: 'secret-1-pw' });
    expect(again.body.source).toBe('store');
    expect(live.legacy.calls.login).toBe(calls);
  });

  it('a refused account answers 403 with its reason', async () => {
    const r = await live.call('POST', '/v1/login', { identifier: 'user10@example.com', password: 'secret-10-pw' });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('user_locked');
  });

  it('getUser finds (and migrates) by email, 404 for nobody', async () => {
    const r = await live.call('GET', '/v1/users/user2%40example.com');
    expect(r.status).toBe(200);
    expect(r.body.user).toEqual(expect.objectContaining({ user_id: 'legacy-2', given_name: 'Given2' }));
    expect(await live.h.runtime.store.findByEmail('default', 'user2@example.com')).not.toBeNull();
    const none = await live.call('GET', '/v1/users/nobody%40example.com');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('user_not_found');
  });

  it('sign-up: dry run says whether the email is free; create refuses a legacy email with user_exists', async () => {
    expect((await live.call('POST', '/v1/users?dry_run=true', { email: 'new@example.com' })).body).toEqual({ available: true });
    expect((await live.call('POST', '/v1/users?dry_run=true', { email: 'user3@example.com' })).status).toBe(409);
    const created = await live.call('POST', '/v1/users', { email: 'new@example.com', password: 'a-new-password', profile: { user_metadata: { via: 'test' } } });
    expect(created.status).toBe(201);
    expect(created.body.user.email).toBe('new@example.com');
    const dup = await live.call('POST', '/v1/users', { email: 'user4@example.com', password: 'whatever-pw' });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('user_exists');
    const login = await live.call('POST', '/v1/login', { identifier: 'new@example.com', password: 'a-new-password' });
    expect(login.status).toBe(200);
  });

  it('changes a password (migrating first), verifies an email, deletes a user', async () => {
    const pw = await live.call('POST', '/v1/users/user5%40example.com/password', { password: 'brand-new-pw' });
    expect(pw.body).toEqual({ changed: true });
    expect((await live.call('POST', '/v1/login', { identifier: 'user5@example.com', password: 'brand-new-pw' })).status).toBe(200);
    expect((await live.call('POST', '/v1/users/nobody%40example.com/password', { password: 'x-pw-long' })).status).toBe(404);
    const v = await live.call('POST', '/v1/users/user5%40example.com/verify');
    expect(v.body).toEqual({ verified: true });
    const d = await live.call('DELETE', '/v1/users/legacy-5');
    expect(d.status).toBe(204);
    expect((await live.call('DELETE', '/v1/users/legacy-5')).status).toBe(404);
  });

  it('refuses malformed requests with request_invalid, oversize bodies with 413, unknown routes with 404', async () => {
    const extra = await live.call('POST', '/v1/login', { identifier: 'a@b.c', password: 'x', admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('request_invalid');
    const missing = await live.call('POST', '/v1/login', { identifier: 'a@b.c' });
    expect(missing.body.error.code).toBe('request_invalid');
    const long = await live.call('POST', '/v1/login', { identifier: 'a@b.c', password: 'x'.repeat(1025) });
    expect(long.status).toBe(400);
    const big = await live.call('POST', '/v1/login', { identifier: 'a@b.c', password: 'x'.repeat(20000) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('body_too_large');
    expect((await live.call('GET', '/v2/nothing')).status).toBe(404);
  });

  it('serves an OpenAPI document listing every route', async () => {
    const r = await live.call('GET', '/openapi.json', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const operations = Object.entries(r.body.paths as Record<string, object>).flatMap(([path, item]) => Object.keys(item).filter((k) => METHODS.includes(k)).map((m) => `${m.toUpperCase()} ${path}`));
    expect(operations.sort()).toEqual(
      [
        'POST /v1/login',
        'POST /v1/users',
        'GET /v1/users/{emailOrId}',
        'DELETE /v1/users/{emailOrId}',
        'POST /v1/users/{email}/password',
        'POST /v1/users/{email}/verify',
        'GET /v1/adapters/keycloak/users/{usernameOrEmail}',
        'POST /v1/adapters/keycloak/users/{usernameOrEmail}',
        'POST /v1/adapters/kratos/password-migration',
        'POST /v1/adapters/okta/password-import',
      ].sort(),
    );
  });

  it('every documented operation is a route that refuses a caller without credentials', async () => {
    const r = await live.call('GET', '/openapi.json', undefined, null);
    for (const [path, item] of Object.entries(r.body.paths as Record<string, object>)) {
      for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
        const url = path.replace(/\{[^}]+\}/g, 'user1%40example.com');
        const answer = await live.call(method.toUpperCase(), url, method === 'get' || method === 'delete' ? undefined : {}, null);
        expect({ op: `${method} ${path}`, status: answer.status, code: answer.body?.error?.code }).toEqual({ op: `${method} ${path}`, status: 401, code: 'unauthenticated' });
      }
    }
  });
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI document validity', () => {
  type Param = { name: string; in: string; required?: boolean };
  const config = resolveServeConfig({ auth: { apiKeys: [{ name: 'k', key: API_KEY }] }, adapters: { keycloak: true, kratos: true, okta: true } });
  const paths = (openApiDocument(config, 'test') as { paths: Record<string, Record<string, { parameters?: Param[] }> & { parameters?: Param[] }> }).paths;

  it('declares exactly the variables of its path template, as required path parameters, for every operation', () => {
    for (const [path, item] of Object.entries(paths)) {
      const variables = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const methods = Object.keys(item).filter((k) => METHODS.includes(k));
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        // Operation parameters override path-item ones with the same name and location.
        const declared = new Map<string, Param>();
        for (const p of [...(item.parameters ?? []), ...(item[method]!.parameters ?? [])]) if (p.in === 'path') declared.set(p.name, p);
        expect({ path, method, declared: [...declared.keys()].sort() }).toEqual({ path, method, declared: variables });
        for (const p of declared.values()) expect({ path, name: p.name, required: p.required }).toEqual({ path, name: p.name, required: true });
      }
    }
  });

  it('has no two paths that are identical but for parameter names', () => {
    const templates = Object.keys(paths).map((p) => p.replace(/\{[^}]+\}/g, '{}'));
    expect(templates.filter((t, i) => templates.indexOf(t) !== i)).toEqual([]);
  });
});

describe('unknown user vs wrong password', () => {
  it('answers the same status and body', async () => {
    const unknown = await live.call('POST', '/v1/login', { identifier: 'ghost@example.com', password: 'secret-6-pw' });
    const wrong = await live.call('POST', '/v1/login', { identifier: 'user6@example.com', password: 'not-it' });
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong email, username or password.' } });
  });

  it('takes as long: unknown users are padded to the failure floor, which is at least one hash verify', async () => {
    // user7 is migrated: its wrong passwords cost a real argon2id verify in the store.
    expect((await live.call('POST', '/v1/login', { identifier: 'user7@example.com', password: 'secret-7-pw' })).status).toBe(200);
    const floor = live.serve.floor.floorMs();
    expect(floor).toBeGreaterThan(0);
    const wrong: number[] = [];
    const unknown: number[] = [];
    // Interleaved, distinct identifiers (throttle), sequential: load hits both series alike.
    for (let i = 0; i < 6; i++) {
      wrong.push((await live.call('POST', '/v1/login', { identifier: 'user7@example.com', password: `wrong-${i}` })).ms);
      // The identifier throttle allows 3 per user; give user7 its tokens back with a success.
      if (i % 2 === 1) await live.call('POST', '/v1/login', { identifier: 'user7@example.com', password: 'secret-7-pw' });
      unknown.push((await live.call('POST', '/v1/login', { identifier: `ghost${i}@example.com`, password: 'whatever' })).ms);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Robust, one-sided checks: no unknown-user answer is faster than the floor (minus timer slack),
    // and the medians are within a factor of 2 of each other.
    for (const ms of unknown) expect(ms).toBeGreaterThanOrEqual(floor * 0.9 - 2);
    expect(median(unknown)).toBeGreaterThan(median(wrong) / 2);
    expect(median(wrong)).toBeGreaterThan(median(unknown) / 2);
  });
});

describe('throttling', () => {
  it('per identifier: 429 with Retry-After before legacy is called; successes do not count', async () => {
    const id = 'user8@example.com';
    for (let i = 0; i < 3; i++) expect((await live.call('POST', '/v1/login', { identifier: id, password: `bad-${i}` })).status).toBe(401);
    const calls = live.legacy.calls.login;
    const r = await live.call('POST', '/v1/login', { identifier: id.toUpperCase(), password: 'secret-8-pw' });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('too_many_attempts');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(live.legacy.calls.login).toBe(calls);
    // Another user is unaffected.
    expect((await live.call('POST', '/v1/login', { identifier: 'user9@example.com', password: 'secret-9-pw' })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await live.call('POST', '/v1/login', { identifier: 'user9@example.com', password: 'secret-9-pw' })).status).toBe(200);
  });

  it('per client: one client over its budget is refused, another is not', async () => {
    const small = await startLive({ issuer: live.issuer, serve: { throttle: { client: { burst: 2, perMinute: 1 } } } });
    try {
      small.legacy.add(legacyUser(1));
      const tokenA = await small.issuer.token({ sub: 'client-a@clients' });
      const tokenB = await small.issuer.token({ sub: 'client-b@clients' });
      for (let i = 0; i < 2; i++) expect((await small.call('POST', '/v1/login', { identifier: `u${i}@example.com`, password: 'pw' }, `Bearer ${tokenA}`)).status).toBe(401);
      const r = await small.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' }, `Bearer ${tokenA}`);
      expect(r.status).toBe(429);
      expect(r.headers.get('retry-after')).toBe('60');
      expect((await small.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' }, `Bearer ${tokenB}`)).status).toBe(200);
    } finally {
      await small.stop();
    }
  });
});

describe('metrics', () => {
  it('exposes logins by outcome and origin, migrations, legacy latency and throttling', async () => {
    const r = await live.call('GET', '/metrics', undefined, null);
    expect(r.status).toBe(200);
    const text = r.body as string;
    expect(text).toMatch(/ferry_logins_total\{outcome="success",origin="legacy",route="v1"\} \d+/);
    expect(text).toMatch(/ferry_logins_total\{outcome="success",origin="store",route="v1"\} \d+/);
    expect(text).toMatch(/ferry_logins_total\{outcome="invalid_credentials",origin="none",route="v1"\} \d+/);
    expect(text).toMatch(/ferry_migrations_total\{via="login"\} \d+/);
    expect(text).toMatch(/ferry_migrations_total\{via="get_user"\} \d+/);
    expect(text).toMatch(/ferry_throttled_total\{scope="identifier"\} \d+/);
    expect(text).toMatch(/ferry_legacy_call_duration_seconds_count\{call="login",result="ok"\} \d+/);
    // Nothing is hashing between requests: the queue reads empty.
    expect(text).toMatch(/ferry_password_hashes\{state="running"\} 0/);
    expect(text).toMatch(/ferry_password_hashes\{state="waiting"\} 0/);
    expect(text).not.toMatch(/secret-\d-pw/);
  });

  it('logs no password, token or key', () => {
    const all = live.h.logs.join('');
    expect(all).not.toMatch(/secret-\d+-pw|brand-new-pw|a-new-password/);
    expect(all).not.toMatch(/eyJ[\w-]+\.eyJ/);
  });
});
