import 'reflect-metadata';
import { Container } from 'inversify';
import nock from 'nock';
import { DataError, TransientError } from '../../src/errors';
import { DefaultHttpClientFactory, FetchHttpClient, HttpClientFactory, httpModule } from '../../src/http';
import { Logger } from '../../src/logging/logger';
import { captureLogger, failure, logRecords } from './helpers';
import { ORIGIN, useNockedClients } from './nocked-clients';

const setup = useNockedClients();

describe('responses returned to the caller', () => {
  it('returns 4xx without retrying, for the connector to map', async () => {
    const { client, clock } = setup();
    nock(ORIGIN).post('/api/v1/authn').reply(401, { errorCode: 'E0000004' }).get('/api/v1/users/nobody').reply(404, { errorCode: 'E0000007' });
    const wrong = await client.post('/api/v1/authn', { json: {} });
    expect([wrong.status, wrong.ok, wrong.json()]).toEqual([401, false, { errorCode: 'E0000004' }]);
    expect((await client.get('/api/v1/users/nobody')).status).toBe(404);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not follow redirects (credentials must not travel to another host)', async () => {
    const { client } = setup();
    nock(ORIGIN).get('/moved').reply(302, '', { location: 'https://elsewhere.test/' });
    const res = await client.get('/moved');
    expect([res.status, res.headers.get('location')]).toEqual([302, 'https://elsewhere.test/']);
  });

  it('rejects bodies over maxBodyBytes and invalid JSON with data errors that omit the body', async () => {
    const { client } = setup({ maxBodyBytes: 1_024 });
    nock(ORIGIN).get('/big').reply(200, 'x'.repeat(2_048)).get('/html').reply(200, '<html>private-markup</html>');
    const big = await failure(client.get('/big'));
    expect(big).toBeInstanceOf(DataError);
    expect(big.code).toBe('http_body_too_large');
    const res = await client.get('/html');
    let invalid: unknown;
    try {
      res.json();
    } catch (err) {
      invalid = err;
    }
    expect(invalid).toBeInstanceOf(DataError);
    expect((invalid as DataError).code).toBe('http_invalid_json');
    expect((invalid as DataError).message).toContain('legacy.example.test/html');
    expect(JSON.stringify(invalid) + String((invalid as Error).stack)).not.toContain('private-markup');
  });
});

describe('requests', () => {
  it('joins paths to baseUrl, appends query params and sends JSON with the default headers', async () => {
    const { client } = setup({ baseUrl: `${ORIGIN}/api/v1/`, headers: { authorization: 'SSWS t' } });
    const scope = nock(ORIGIN, { reqheaders: { 'user-agent': 'ferry', authorization: 'SSWS t', 'x-extra': '1' } })
      .get('/api/v1/users')
      .query({ limit: '200', filter: 'status eq "ACTIVE"', tag: ['a', 'b'] })
      .reply(200, [])
      .post('/api/v1/authn', { username: 'a@b.c' })
      .matchHeader('content-type', 'application/json')
      .reply(200, {});
    await client.get('users', { query: { limit: 200, filter: 'status eq "ACTIVE"', tag: ['a', 'b'], after: undefined }, headers: { 'x-extra': '1' } });
    await client.request({ method: 'post', url: '/authn', json: { username: 'a@b.c' }, headers: { 'x-extra': '1' } });
    expect(scope.isDone()).toBe(true);
  });

  it('needs a baseUrl for relative URLs and refuses use after close()', async () => {
    const { client } = setup({ baseUrl: undefined });
    await expect(client.get('/users')).rejects.toMatchObject({ code: 'http_invalid_url', errorClass: 'config' });
    await client.close();
    await expect(client.get(`${ORIGIN}/users`)).rejects.toMatchObject({ code: 'http_client_closed' });
  });

  it('rejects with the caller’s abort reason, not a transient error', async () => {
    const { client } = setup();
    nock(ORIGIN).get('/slow').delay(300).reply(200, 'late');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user cancelled')), 20);
    await expect(client.get('/slow', { signal: controller.signal })).rejects.toThrow('user cancelled');
  });
});

describe('transient failures', () => {
  it('classifies network errors, and retries a POST only when it was never sent', async () => {
    const { client } = setup({ retries: { baseDelayMs: 1 } });
    nock(ORIGIN).get('/users').times(4).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const reset = await failure(client.get('/users'));
    expect([reset.code, reset.errorClass, reset.details?.systemCode, reset.details?.attempts]).toEqual(['http_network', 'transient', 'ECONNRESET', 4]);

    nock(ORIGIN).post('/login').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    expect((await failure(client.post('/login', { body: 'x' }))).details?.attempts).toBe(1);

    nock(ORIGIN).post('/login').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).post('/login').reply(200, 'ok');
    expect((await client.post('/login', { body: 'x' })).attempts).toBe(2);
  });

  it('turns the whole-request timeout into http_timeout', async () => {
    const { client } = setup({ timeoutMs: 50, retries: { maxAttempts: 1 } });
    nock(ORIGIN).get('/slow').delay(300).reply(200, 'late');
    const err = await failure(client.get('/slow'));
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('http_timeout');
    expect(err.message).toContain('GET legacy.example.test/slow timed out');
  });

  it('never puts the query string, Authorization header or body into errors or logs', async () => {
    const { client, lines } = setup({ retries: { maxAttempts: 2, baseDelayMs: 1 } });
    const request = {
      url: '/accounts.login',
      query: { userKey: 'uk-SECRET' },
      headers: { authorization: 'Basic auth-SECRET' },
      body: new URLSearchParams({ loginID: 'a@b.c', password: 'pw-SECRET' }),
      idempotent: true,
    };
    nock(ORIGIN).post('/accounts.login').query(true).times(2).reply(503, 'echo pw-SECRET');
    const status = await failure(client.request({ ...request, method: 'POST' }));
    nock(ORIGIN).post('/accounts.login').query(true).times(2).replyWithError({ code: 'ECONNRESET', message: `reset ${ORIGIN}/accounts.login?userKey=uk-SECRET` });
    const network = await failure(client.request({ ...request, method: 'POST' }));

    for (const err of [status, network]) {
      const everything = [err.message, JSON.stringify(err.toJSON()), String(err.stack), String(err.cause), JSON.stringify(err.details)].join('\n');
      expect(everything).not.toMatch(/SECRET|userKey/);
      expect(err.details).toMatchObject({ method: 'POST', host: 'legacy.example.test', path: '/accounts.login' });
    }
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(line).not.toMatch(/SECRET|userKey|authorization/i);
  });

  it('logs one debug line per attempt with method, host, path, status, duration and attempt', async () => {
    const { client, lines } = setup({ name: 'okta' });
    nock(ORIGIN).get('/users').query(true).reply(503).get('/users').query(true).reply(200, []);
    await client.get('/users', { query: { after: 'cursor' } });
    const records = logRecords(lines, 'http request');
    expect(records.map((r) => [r.client, r.method, r.host, r.path, r.status, r.attempt])).toEqual([
      ['okta', 'GET', 'legacy.example.test', '/users', 503, 1],
      ['okta', 'GET', 'legacy.example.test', '/users', 200, 2],
    ]);
    expect(records.every((r) => typeof r.durationMs === 'number')).toBe(true);
  });
});

describe('dependency injection', () => {
  it('binds the factory as a singleton behind the HttpClientFactory token', async () => {
    const container = new Container();
    container.bind(Logger).toConstantValue(captureLogger().logger);
    await container.load(httpModule);
    const factory = container.get(HttpClientFactory);
    expect(factory).toBeInstanceOf(DefaultHttpClientFactory);
    expect(container.get(DefaultHttpClientFactory)).toBe(factory);
    const client = factory.create({ name: 'stormpath' });
    expect(client).toBeInstanceOf(FetchHttpClient);
    expect(client.name).toBe('stormpath');
    await client.close();
  });
});
