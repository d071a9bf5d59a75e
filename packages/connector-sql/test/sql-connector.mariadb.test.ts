/**
 * The SQL connector against a real MariaDB server (mariadbd from the system package,
 * started by this test). A server that does not start fails the suite.
 */
import { startMariaDb } from '@ferry/testkit';
import { runSqlServerSuite } from './support/server-suite';

runSqlServerSuite('MariaDB', () => startMariaDb(), (port) => `mysql://ferry:secret@127.0.0.1:${port}/ferry`);
