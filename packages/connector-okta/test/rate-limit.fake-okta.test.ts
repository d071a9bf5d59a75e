/**
 * Logins against a rate-limited fake Okta: no 429 may surface as a failure, and the
 * run must take within 10% of the least time the limit allows. The default suite runs
 * a scaled-down case (200 logins at 60 per 10 s); `OKTA_RATE_LIMIT_FULL=1` runs the
 * full one (2,000 logins at 600 per minute, about three minutes).
 */
import { type FakeOkta, startFakeOkta } from '@ferry/testkit';
import { definition } from '../src';
import { oktaConfig, testContext } from './okta-test-context';

const FULL = process.env.OKTA_RATE_LIMIT_FULL === '1';
const LOGINS = FULL ? 2000 : 200;
const LIMIT = FULL ? 600 : 60;
const WINDOW_MS = FULL ? 60_000 : 10_000;
const CONCURRENCY = 8;
const USERS = 50;

let okta: FakeOkta;

beforeAll(async () => {
  okta = await startFakeOkta({
    users: Array.from({ length: USERS }, (_, i) => ({ login: `u${i}@example.com`, password: `pw-${i}` })),
    // The Users API has its own, larger quota: the connector must track both apart.
    rateLimits: { authn: { limit: LIMIT, windowMs: WINDOW_MS }, users: { limit: LIMIT * 10, windowMs: WINDOW_MS }, concurrency: 75 },
  });
});
afterAll(() => okta.close());

it(`${LOGINS} logins at ${LIMIT} per ${WINDOW_MS / 1000}s: no failures, within 10% of the minimum time`, async () => {
  const connector = await definition.create(oktaConfig({ orgUrl: okta.url, apiToken: okta.apiToken }), testContext().context);
  let next = 0;
  let failures = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < LOGINS) {
        const i = next++;
        const outcome = await connector.login!(`u${i % USERS}@example.com`, `pw-${i % USERS}`).catch(() => ({ ok: false }));
        if (!outcome.ok) failures++;
      }
    }),
  );
  const elapsedMs = Date.now() - started;
  await connector.close!();
  // The fake's first window opens on the whole second before the first request.
  const minimumMs = (Math.ceil(LOGINS / LIMIT) - 1) * WINDOW_MS - 1000;
  console.log(JSON.stringify({ logins: LOGINS, elapsedMs, minimumMs, ratio: +(elapsedMs / minimumMs).toFixed(3), served429: okta.stats.rateLimited, failures }));
  expect(failures).toBe(0);
  expect(elapsedMs).toBeGreaterThanOrEqual(minimumMs);
  expect(elapsedMs).toBeLessThanOrEqual(minimumMs * 1.1);
}, FULL ? 600_000 : 120_000);
