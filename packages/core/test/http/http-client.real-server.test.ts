/**
 * Real-server tests: a node:http server on 127.0.0.1, no mocks, to check what nock cannot
 * (the undici agent's pooling and timeouts, and real socket failures).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FetchHttpClient, type HttpClientOptions } from '../../src/http';
import { captureLogger, failure } from './helpers';

// No nock in this file: its fetch patch must not stand between the client and the server.
let server: Server;
let baseUrl: string;
let connections = 0;
let requests: string[] = [];
const clients: FetchHttpClient[] = [];

function handle(req: IncomingMessage, res: ServerResponse): void {
  requests.push(req.url ?? '');
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/stall-headers') return; // never answers
  if (path === '/stall-body') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"users":['); // then nothing
    return;
  }
  const delay = path === '/slow' ? 50 : 0;
  setTimeout(() => res.end(JSON.stringify({ path })), delay);
}

function client(options: HttpClientOptions = {}): FetchHttpClient {
  const created = new FetchHttpClient({ baseUrl, retries: { baseDelayMs: 1 }, ...options }, captureLogger().logger);
  clients.push(created);
  return created;
}

beforeAll(async () => {
  server = createServer(handle);
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  connections = 0;
  requests = [];
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  server.closeAllConnections();
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('HttpClient against a real server', () => {
  it('reuses kept-alive connections for sequential requests', async () => {
    const http = client();
    for (let i = 0; i < 10; i++) {
      const res = await http.get('/users', { query: { page: i } });
      expect(res.json()).toEqual({ path: '/users' });
    }
    expect(requests).toHaveLength(10);
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('bounds concurrent connections per origin with maxConnections', async () => {
    const http = client({ maxConnections: 2 });
    const responses = await Promise.all(Array.from({ length: 8 }, () => http.get('/slow')));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    expect(connections).toBe(2);
  });

  it('times out a request whose headers never come, retrying idempotent calls', async () => {
    const http = client({ timeoutMs: 150, retries: { maxAttempts: 2, baseDelayMs: 1 } });
    const started = Date.now();
    const err = await failure(http.get('/stall-headers', { query: { token: 'q-secret' } }));
    expect([err.code, err.errorClass, err.details?.attempts]).toEqual(['http_timeout', 'transient', 2]);
    expect(requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(JSON.stringify(err.toJSON())).not.toContain('q-secret');
  });

  it('counts reading the body against the request timeout', async () => {
    const http = client({ timeoutMs: 150, retries: { maxAttempts: 1 } });
    const err = await failure(http.get('/stall-body'));
    expect(err.code).toBe('http_timeout');
  });

  it('wires the agent headers timeout (undici) and classifies it as http_timeout', async () => {
    const http = client({ timeoutMs: 5_000, headersTimeoutMs: 100, retries: { maxAttempts: 1 } });
    const started = Date.now();
    const err = await failure(http.get('/stall-headers'));
    expect(err.code).toBe('http_timeout');
    expect(err.details?.systemCode).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('turns a refused connection into a transient http_network error after retrying (even a POST)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const http = client({ baseUrl: `http://127.0.0.1:${port}`, retries: { maxAttempts: 3, baseDelayMs: 1 } });
    const err = await failure(http.post('/login', { json: { password: 'pw-secret' } }));
    expect([err.code, err.errorClass, err.details?.systemCode, err.details?.attempts]).toEqual(['http_network', 'transient', 'ECONNREFUSED', 3]);
    expect(JSON.stringify(err.toJSON()) + String(err.cause)).not.toContain('pw-secret');
  });
});
