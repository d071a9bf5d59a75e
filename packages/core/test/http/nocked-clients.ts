/** nock set-up shared by the mocked HTTP client tests. */
import nock from 'nock';
import { FetchHttpClient } from '../../src/http/http-client';
import type { HttpClientOptions } from '../../src/http/http-types';
import { captureLogger, InstantClock } from './helpers';

/** Origin of the mocked legacy API. */
export const ORIGIN = 'https://legacy.example.test';

/**
 * Register nock for this test file (no real network) and return a factory of clients on
 * an {@link InstantClock} and a captured logger, closed after each test.
 */
export function useNockedClients(): (options?: HttpClientOptions) => { client: FetchHttpClient; clock: InstantClock; lines: string[] } {
  const clients: FetchHttpClient[] = [];
  beforeAll(() => nock.disableNetConnect());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
  return (options = {}) => {
    const clock = new InstantClock();
    const { logger, lines } = captureLogger();
    // random 0.5: each backoff is half its exponential ceiling, so sleeps are predictable.
    const client = new FetchHttpClient({ baseUrl: ORIGIN, clock, random: () => 0.5, retries: { baseDelayMs: 100 }, ...options }, logger);
    clients.push(client);
    return { client, clock, lines };
  };
}
