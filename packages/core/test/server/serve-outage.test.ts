/**
 * Legacy outage and shutdown: migrated users keep logging in while legacy is down,
 * unmigrated users get 503 `legacy_unavailable` (never "wrong password"), `/readyz`
 * reports store and legacy separately, a hung legacy answers 503 `legacy_timeout`, and
 * SIGTERM-style shutdown finishes in-flight migrations while requests that arrive meanwhile
 * get a coded 503.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { legacyUser, startLive, type LiveServe } from './serve-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('legacy outage', () => {
  let live: LiveServe;
  beforeAll(async () => {
    live = await startLive({ serve: { legacyTimeoutMs: 300 } });
    for (let n = 1; n <= 3; n++) live.legacy.add(legacyUser(n));
  });
  afterAll(() => live.stop());

  it('before: ready, store and legacy both up', async () => {
    const r = await live.call('GET', '/readyz', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, store: { ok: true }, legacy: { ok: true } });
    expect((await live.call('GET', '/healthz', undefined, null)).body).toEqual({ status: 'ok' });
    expect((await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' })).body.migrated).toBe(true);
  });

  it('during: migrated users log in, unmigrated get 503 legacy_unavailable, wrong passwords of migrated users stay 401', async () => {
    live.legacy.down = true;
    const migrated = await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' });
    expect(migrated.status).toBe(200);
    expect(migrated.body.source).toBe('store');
    const unmigrated = await live.call('POST', '/v1/login', { identifier: 'user2@example.com', password: 'secret-2-pw' });
    expect(unmigrated.status).toBe(503);
    expect(unmigrated.body.error.code).toBe('legacy_unavailable');
    expect(unmigrated.headers.get('retry-after')).toMatch(/^\d+$/);
    const unmigratedWrong = await live.call('POST', '/v1/login', { identifier: 'user3@example.com', password: 'wrong' });
    expect(unmigratedWrong.status).toBe(503);
    expect((await live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'wrong' })).status).toBe(401);
    expect((await live.call('GET', '/v1/users/user2%40example.com')).status).toBe(503);
  });

  it('during: /readyz stays 200 (the store serves migrated users) and reports legacy down', async () => {
    await new Promise((r) => setTimeout(r, 5100)); // the legacy probe is cached for 5 s
    const r = await live.call('GET', '/readyz', undefined, null);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ready: true, store: { ok: true }, legacy: { ok: false, detail: 'legacy_unavailable' } });
    const metrics = (await live.call('GET', '/metrics', undefined, null)).body as string;
    expect(metrics).toMatch(/ferry_legacy_errors_total\{call="login",code="legacy_unavailable"\} [1-9]/);
    expect(metrics).toMatch(/ferry_logins_total\{outcome="error",origin="none",route="v1"\} [1-9]/);
  });

  it('a hung legacy answers 503 legacy_timeout within the deadline', async () => {
    live.legacy.down = false;
    live.legacy.loginDelayMs = 1500;
    const r = await live.call('POST', '/v1/login', { identifier: 'user2@example.com', password: 'secret-2-pw' });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('legacy_timeout');
    expect(r.ms).toBeLessThan(1200);
    live.legacy.loginDelayMs = 0;
    // The abandoned legacy call still ends (and may migrate the user: legacy said yes).
    await new Promise((resolve) => setTimeout(resolve, 1400));
  });

  it('after: unmigrated users migrate again', async () => {
    const r = await live.call('POST', '/v1/login', { identifier: 'user3@example.com', password: 'secret-3-pw' });
    expect(r.status).toBe(200);
    expect(r.body.migrated).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('finishes an in-flight first login, then refuses new connections', async () => {
    const live = await startLive();
    live.legacy.add(legacyUser(1));
    live.legacy.loginDelayMs = 400;
    live.legacy.markMigratedDelayMs = 200;
    const inFlight = live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' });
    await new Promise((r) => setTimeout(r, 100));
    const closing = live.serve.close();
    const done = await inFlight;
    expect(done.status).toBe(200);
    expect(done.body.migrated).toBe(true);
    await closing;
    // The background markMigrated finished before close() resolved.
    expect(live.legacy.marked).toEqual(['legacy-1']);
    await expect(fetch(`${live.url}/healthz`)).rejects.toThrow();
    await live.h.cleanup();
    await live.issuer.stop();
  });

  it('answers requests arriving on a kept-alive socket while closing with a coded 503 and Retry-After, then closes it', async () => {
    const live = await startLive();
    try {
      live.legacy.add(legacyUser(1));
      live.legacy.loginDelayMs = 600;
      const socket = connect(Number(new URL(live.url).port), '127.0.0.1');
      socket.setEncoding('utf8');
      let raw = '';
      socket.on('data', (d: string) => (raw += d));
      await once(socket, 'connect');
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
      while (!raw.includes('{"status":"ok"}')) await sleep(10);
      raw = '';
      // The next request is half sent, so the socket isn't idle and stays open when closing begins.
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n');
      const inFlight = live.call('POST', '/v1/login', { identifier: 'user1@example.com', password: 'secret-1-pw' });
      await sleep(100);
      const closing = live.serve.close();
      while (live.serve.app.server.listening) await sleep(10); // preClose has run
      const closed = once(socket, 'close');
      socket.write('\r\n');
      await closed;
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 503 /);
      expect(head).toMatch(/^retry-after: 1$/im);
      expect(head).toMatch(/^connection: close$/im);
      expect(JSON.parse(body)).toEqual({ error: { code: 'shutting_down', message: 'The server is shutting down.', hint: 'Retry: another instance will answer.' } });
      // The request that was in flight when closing began still finishes.
      const done = await inFlight;
      expect(done.status).toBe(200);
      expect(done.body.migrated).toBe(true);
      await closing;
    } finally {
      await live.stop();
    }
  });
});
