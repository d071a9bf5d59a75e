/**
 * The whole SQL connector suite (conformance kit + the connector's own cases) against a
 * real database server started for the test file. A server that does not start fails
 * the suite — it never skips.
 */
import { runConnectorConformance } from '@ferry/core/testing';
import { freePort, type RunningDatabase } from '@ferry/testkit';
import { runSqlConnectorCases } from './sql-connector-cases';
import { conformanceFixture, fillUsers, makeConnector, seed } from './sql-test-kit';

/** Register the suite for the database `name`, started by `start`; `deadUrl(port)` points at nothing. */
export function runSqlServerSuite(name: string, start: () => Promise<RunningDatabase>, deadUrl: (port: number) => string): void {
  let server: RunningDatabase | undefined;
  const url = (): string => {
    if (!server) throw new Error(`${name} did not start (see the beforeAll error above)`);
    return server.url;
  };
  const fixture = conformanceFixture(url, async () => {
    // Nothing listens on a fresh free port: connection refused, a transient failure.
    const port = await freePort();
    return makeConnector(deadUrl(port), 'users', (c) => {
      c.timeoutMs = 1000;
    });
  });

  beforeAll(async () => {
    server = await start();
    await seed(server.url);
    await fillUsers(fixture);
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  runConnectorConformance(`sql (${name})`, fixture);
  runSqlConnectorCases(name, url);
}
