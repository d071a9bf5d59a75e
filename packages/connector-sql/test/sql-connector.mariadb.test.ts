/**
 * The SQL connector against a real MariaDB server (mariadbd from the system package,
 * started by this test). A server that does not start fails the suite.
 */
import { runConnectorConformance } from '@ferry/core/testing';
import { freePort, startMariaDb, type RunningDatabase } from '@ferry/testkit';
import { runSqlConnectorCases } from './support/sql-connector-cases';
import { conformanceFixture, fillUsers, makeConnector, seed } from './support/sql-test-kit';

let server: RunningDatabase | undefined;

beforeAll(async () => {
  server = await startMariaDb();
  await seed(server.url);
  await fillUsers(fixture);
}, 180_000);

afterAll(async () => {
  await server?.stop();
}, 60_000);

function url(): string {
  if (!server) throw new Error('MariaDB did not start (see the beforeAll error above)');
  return server.url;
}

const fixture = conformanceFixture(url, async () => {
  // Nothing listens on a fresh free port: connection refused, a transient failure.
  const port = await freePort();
  return makeConnector(`mysql://ferry:secret@127.0.0.1:${port}/ferry`, 'users', (c) => {
    c.timeoutMs = 1000;
  });
});

runConnectorConformance('sql (MariaDB)', fixture);
runSqlConnectorCases('MariaDB', url);
