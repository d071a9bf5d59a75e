import nock from 'nock';
import { TransientError } from '../../src/errors';
import { failure } from './helpers';
import { ORIGIN, useNockedClients } from './nocked-clients';

const setup = useNockedClients();

describe('retries', () => {
  it('retries an idempotent GET on 5xx with full-jitter exponential backoff', async () => {
    const { client, clock } = setup();
    const scope = nock(ORIGIN).get('/users').reply(503).get('/users').reply(502).get('/users').reply(200, { ok: true });
    const res = await client.get('/users');
    expect(res.json()).toEqual({ ok: true });
    expect(res.attempts).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
    expect(scope.isDone()).toBe(true);
  });

  it('gives up after maxAttempts with a transient http_5xx error', async () => {
    const { client } = setup({ retries: { maxAttempts: 3, baseDelayMs: 1 } });
    const scope = nock(ORIGIN).get('/users').times(3).reply(500);
    const err = await failure(client.get('/users'));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('http_5xx');
    expect(err.details).toEqual({ method: 'GET', host: 'legacy.example.test', path: '/users', status: 500, attempts: 3 });
    expect(scope.isDone()).toBe(true);
  });

  it('stops when the next backoff would exceed maxTotalWaitMs', async () => {
    const { client, clock } = setup({ random: () => 0.999, retries: { baseDelayMs: 1_000, maxTotalWaitMs: 1_500 } });
    nock(ORIGIN).get('/users').times(2).reply(503);
    const err = await failure(client.get('/users'));
    expect(err.details?.attempts).toBe(2);
    expect(clock.sleeps).toEqual([999]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const { client, clock } = setup();
    nock(ORIGIN)
      .get('/a').reply(429, '', { 'Retry-After': '2' })
      .get('/a').reply(503, '', { 'Retry-After': new Date(clock.now() + 2_000 + 3_000).toUTCString() })
      .get('/a').reply(200, 'done');
    const res = await client.get('/a');
    expect(res.text()).toBe('done');
    expect(clock.sleeps).toEqual([2_000, 3_000]);
  });

  it('waits for Okta X-Rate-Limit-Reset after a 429', async () => {
    const { client, clock } = setup();
    nock(ORIGIN)
      .get('/api/v1/users')
      .reply(429, { errorCode: 'E0000047' }, { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '0', 'X-Rate-Limit-Reset': String(clock.epochSeconds() + 5) })
      .get('/api/v1/users')
      .reply(200, []);
    await client.get('/api/v1/users');
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('retries a POST on 429 (not processed), waiting for Auth0 x-ratelimit-reset', async () => {
    const { client, clock } = setup();
    const scope = nock(ORIGIN)
      .post('/api/v2/jobs/users-imports')
      .reply(429, { statusCode: 429 }, { 'x-ratelimit-limit': '10', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(clock.epochSeconds() + 3) })
      .post('/api/v2/jobs/users-imports')
      .reply(202, { id: 'job_1' });
    const res = await client.post('/api/v2/jobs/users-imports', { json: { users: [] } });
    expect(res.status).toBe(202);
    expect(clock.sleeps).toEqual([3_000]);
    expect(scope.isDone()).toBe(true);
  });

  it('does not retry a POST on 5xx, unless the request is marked idempotent', async () => {
    const { client, clock } = setup();
    nock(ORIGIN).post('/api/v1/authn').reply(503);
    const err = await failure(client.post('/api/v1/authn', { json: { username: 'a@b.c' } }));
    expect(err.code).toBe('http_5xx');
    expect(err.details?.attempts).toBe(1);
    expect(clock.sleeps).toEqual([]);

    nock(ORIGIN).post('/search').reply(503).post('/search').reply(200, 'ok');
    const res = await client.post('/search', { body: 'q=x', idempotent: true });
    expect(res.attempts).toBe(2);
  });

  it('reports http_rate_limited with retryAfterMs once 429 retries are exhausted', async () => {
    const { client } = setup({ retries: { maxAttempts: 2 } });
    nock(ORIGIN).get('/users').times(2).reply(429, '', { 'Retry-After': '1' });
    const err = await failure(client.get('/users'));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('http_rate_limited');
    expect((err as TransientError).retryAfterMs).toBe(1_000);
  });

  it('gives up at once when the server asks for a longer wait than maxTotalWaitMs allows', async () => {
    const { client, clock } = setup();
    nock(ORIGIN).get('/users').reply(429, '', { 'Retry-After': '3600' });
    const err = await failure(client.get('/users'));
    expect(err.code).toBe('http_rate_limited');
    expect((err as TransientError).retryAfterMs).toBe(3_600_000);
    expect(clock.sleeps).toEqual([]);
  });

  it('can hand a 5xx to the caller instead of throwing', async () => {
    const { client } = setup();
    nock(ORIGIN).get('/api/v1/users').query({ limit: '200' }).reply(500, { errorCode: 'E0000009' });
    const res = await client.get('/api/v1/users', { query: { limit: 200 }, returnServerErrors: true, maxAttempts: 1 });
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ errorCode: 'E0000009' });
  });
});

describe('rate awareness', () => {
  it('slows down before the quota runs out, per quota key', async () => {
    const { client, clock } = setup();
    const reset = String(clock.epochSeconds() + 10);
    nock(ORIGIN).get('/api/v1/users').times(2).reply(200, [], { 'X-Rate-Limit-Limit': '600', 'X-Rate-Limit-Remaining': '1', 'X-Rate-Limit-Reset': reset });
    nock(ORIGIN).post('/api/v1/authn').reply(200, {});
    await client.get('/api/v1/users');
    expect(clock.sleeps).toEqual([]);
    // Another quota bucket (Okta limits authn separately) is not held back.
    await client.post('/api/v1/authn', { rateLimitKey: 'authn' });
    expect(clock.sleeps).toEqual([]);
    await client.get('/api/v1/users');
    expect(clock.sleeps).toEqual([10_000]);
  });

  it('makes other requests wait after a 429 that only says Retry-After', async () => {
    const { client, clock } = setup({ retries: { maxAttempts: 1 } });
    nock(ORIGIN).get('/a').reply(429, '', { 'Retry-After': '2' }).get('/b').reply(200, 'ok');
    await expect(client.get('/a')).rejects.toMatchObject({ code: 'http_rate_limited' });
    expect(clock.sleeps).toEqual([]);
    await client.get('/b');
    expect(clock.sleeps).toEqual([2_000]);
  });

  it('ignores rate-limit headers when rateLimitHeaders is false', async () => {
    const { client, clock } = setup({ rateLimitHeaders: false });
    nock(ORIGIN).get('/x').times(2).reply(200, '', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(clock.epochSeconds() + 10) });
    await client.get('/x');
    await client.get('/x');
    expect(clock.sleeps).toEqual([]);
  });

  it('spaces requests with the client token bucket', async () => {
    const { client, clock } = setup({ rateLimit: { ratePerSecond: 2, burst: 1 } });
    nock(ORIGIN).get('/x').times(3).reply(200, 'ok');
    await Promise.all([client.get('/x'), client.get('/x'), client.get('/x')]);
    expect(clock.sleeps).toEqual([500, 500]);
  });
});
