/**
 * The issuer's key set through an outage of its endpoint (server/jwks-key-set.ts), over
 * real HTTP on loopback with the cache and staleness windows shortened: the keys fetched
 * last keep verifying for a bounded time, a key they don't hold is "unavailable" (not a bad
 * token), and past the bound every token is "unavailable" until the endpoint is back.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, type JWTVerifyGetKey } from 'jose';
import { KeySetUnavailable, remoteKeySet } from '../../src/server/jwks-key-set';
import { AUDIENCE, ISSUER, TestIssuer } from './serve-harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let issuer: TestIssuer;
let server: Server;
let url = '';
let up = true;
let requests = 0;

beforeAll(async () => {
  issuer = new TestIssuer();
  await issuer.rotate();
  server = createServer((_req, res) => {
    requests++;
    res.setHeader('content-type', 'application/json');
    if (!up) res.statusCode = 503;
    res.end(up ? JSON.stringify({ keys: issuer.keys.map((k) => k.jwk) }) : '{"error":"down"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  up = true;
});

const verify = async (getKey: JWTVerifyGetKey, token: string) => (await jwtVerify(token, getKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'] })).payload.sub;

test('after the cache expires, an endpoint outage leaves known keys verifying and asks the endpoint at most once per cooldown', async () => {
  const keys = remoteKeySet(url, { cacheMaxAgeMs: 50, cooldownMs: 300, staleMaxMs: 60_000 });
  const token = await issuer.token();
  expect(await verify(keys, token)).toBe('abc123@clients');
  up = false;
  await sleep(80); // the cached set is now older than cacheMaxAge: jose refetches, and fails
  const before = requests;
  expect(await verify(keys, token)).toBe('abc123@clients');
  expect(requests).toBe(before + 1);
  // Within the cooldown of that failure, the held keys answer without another fetch.
  for (let i = 0; i < 5; i++) expect(await verify(keys, token)).toBe('abc123@clients');
  expect(requests).toBe(before + 1);
  up = true;
  await sleep(320);
  expect(await verify(keys, token)).toBe('abc123@clients');
  expect(requests).toBe(before + 2);
});

test('during an outage a token signed with a key the held set lacks is unavailable, not refused as bad', async () => {
  const keys = remoteKeySet(url, { cacheMaxAgeMs: 50, cooldownMs: 300, staleMaxMs: 60_000 });
  expect(await verify(keys, await issuer.token())).toBe('abc123@clients');
  up = false;
  await issuer.rotate(); // a new signing key the endpoint would serve, were it up
  await sleep(80);
  const err = await verify(keys, await issuer.token()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(KeySetUnavailable);
  expect((err as Error).message).toMatch(/not among the \d+ held/);
});

test('past staleMaxMs since the last successful lookup, held keys stop verifying', async () => {
  const keys = remoteKeySet(url, { cacheMaxAgeMs: 30, cooldownMs: 10, staleMaxMs: 150 });
  const token = await issuer.token();
  expect(await verify(keys, token)).toBe('abc123@clients');
  up = false;
  await sleep(60);
  expect(await verify(keys, token)).toBe('abc123@clients');
  await sleep(200);
  await expect(verify(keys, token)).rejects.toBeInstanceOf(KeySetUnavailable);
  up = true;
  await sleep(20);
  expect(await verify(keys, token)).toBe('abc123@clients');
});

test('a key set never fetched gives unavailable, not a bad token', async () => {
  up = false;
  const keys = remoteKeySet(url);
  await expect(verify(keys, await issuer.token())).rejects.toBeInstanceOf(KeySetUnavailable);
});
