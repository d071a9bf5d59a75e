/**
 * One embedded PostgreSQL per test file, and a fresh schema per test for isolation.
 * A server that does not start fails the file — it never skips.
 */
import { startEmbeddedPostgres, type RunningDatabase } from '@ferry/testkit';
import { Client } from 'pg';

/** Starts the server in `beforeAll`, stops it in `afterAll`; returns helpers for the file's tests. */
export function usePostgresServer(): {
  /** The server's URL (with password), valid once `beforeAll` ran. */
  url: () => string;
  /** A URL for a new, empty schema (created by the store's `migrate()`), plus extra query. */
  freshSchemaUrl: (query?: string) => string;
  /** Drop every schema handed out so far. */
  dropSchemas: () => Promise<void>;
} {
  let server: RunningDatabase | undefined;
  let counter = 0;
  const handedOut: string[] = [];
  beforeAll(async () => {
    server = await startEmbeddedPostgres();
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  }, 60_000);
  const url = (): string => {
    if (!server) throw new Error('PostgreSQL did not start (see the beforeAll error above)');
    return server.url;
  };
  return {
    url,
    freshSchemaUrl: (query = '') => {
      const schema = `t${process.pid}_${++counter}`;
      handedOut.push(schema);
      return `${url()}?schema=${schema}${query === '' ? '' : `&${query}`}`;
    },
    dropSchemas: async () => {
      const client = new Client({ connectionString: url() });
      await client.connect();
      try {
        for (const schema of handedOut.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
