/**
 * Config-time safety: queries that could splice input into SQL, or miss their
 * parameter, are refused when the config loads, naming the key; SQL errors at run time
 * are config errors naming the query.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capabilitiesOf, ConfigError, type JsonObject } from '@ferry/core';
import { writeLegacyDatabase } from '@ferry/testkit';
import { compileQuery, parseNamedQuery } from '../src';
import { makeConnector } from './support/sql-test-kit';

const refuse = (sql: string) => () => parseNamedQuery('queries.findByEmail', sql, ['email'], ['email']);

describe('query guard', () => {
  it.each([
    ["SELECT * FROM users WHERE email = '${email}'", /template marker/],
    ["SELECT * FROM users WHERE email LIKE '%:email%'", /inside quotes/],
    ["SELECT * FROM users WHERE email = ':email'", /inside quotes/],
    ["SELECT * FROM users WHERE email = '' || :email || ''", /builds a string/],
    ["SELECT * FROM users WHERE email = CONCAT('', :email)", /builds a string/],
    ['SELECT * FROM users WHERE email LIKE :email', /LIKE/],
    ['SELECT * FROM users WHERE email = ?', /positional/],
    ['SELECT * FROM users WHERE email = :email; DELETE FROM users', /more than one statement/],
    ['SELECT * FROM users WHERE id = 1', /must use the parameter :email/],
    ['SELECT * FROM users WHERE email = :email AND x = :password', /does not provide/],
  ])('refuses %s', (sql, message) => {
    expect(refuse(sql)).toThrow(ConfigError);
    expect(refuse(sql)).toThrow(message);
    expect(refuse(sql)).toThrow(/queries\.findByEmail/);
  });

  it('accepts casts, comments and literals that are not parameters', () => {
    const q = parseNamedQuery('k', "SELECT id::text, '10:30' AS x FROM users /* :nope */ WHERE lower(email) = lower(:email) -- :also_not\n AND :email <> ''", ['email'], ['email']);
    expect(q.params).toEqual(['email', 'email']);
    expect(compileQuery(q, 'dollar').sql).toContain('lower($1) -- :also_not\n AND $1');
    expect(compileQuery(q, 'question').order).toEqual(['email', 'email']);
  });
});

describe('connector config', () => {
  let dir: string;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-sql-config-'));
    url = `sqlite:${join(dir, 'legacy.db')}`;
    await writeLegacyDatabase(url, { count: 5, seed: 'config' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rejects an unsafe query at load time, naming the key', async () => {
    await expect(
      makeConnector(url, 'users', (c) => {
        (c.queries as JsonObject).exportPage = "SELECT * FROM users WHERE id > ':after' LIMIT :limit";
      }),
    ).rejects.toThrow(/queries\.exportPage/);
  });

  it('a SQL error in a configured query is a ConfigError naming the query key', async () => {
    const c = await makeConnector(url, 'users', (cfg) => {
      (cfg.queries as JsonObject).findByEmail = 'SELECT * FROM no_such_table WHERE email = :email';
    });
    await expect(c.getByEmail!('a@example.com')).rejects.toEqual(expect.objectContaining({ code: 'query_failed', errorClass: 'config', message: expect.stringContaining('queries.findByEmail') }));
    await c.close?.();
  });

  it('a mapping to a column the query does not return is a ConfigError', async () => {
    const c = await makeConnector(url, 'users', (cfg) => {
      (cfg.mapping as JsonObject).nickname = 'nick';
    });
    await expect(c.exportUsers!({})[Symbol.asyncIterator]().next()).rejects.toThrow(/mapping\.nickname/);
    await c.close?.();
  });

  it('a missing SQLite file is a ConfigError, and capabilities follow the configured queries', async () => {
    await expect(makeConnector(`sqlite:${join(dir, 'missing.db')}`)).rejects.toEqual(expect.objectContaining({ code: 'database_not_found' }));
    const c = await makeConnector(url, 'users', (cfg) => {
      delete (cfg.queries as JsonObject).markMigrated;
      delete (cfg.queries as JsonObject).exportPage;
      delete (cfg.queries as JsonObject).keyBounds;
    });
    expect(typeof c.markMigrated).toBe('undefined');
    expect(typeof c.exportUsers).toBe('undefined');
    expect(typeof c.planPartitions).toBe('undefined');
    await c.close?.();
  });

  it('planPartitions is offered only with queries.keyBounds', async () => {
    const without = await makeConnector(url, 'users', (cfg) => {
      delete (cfg.queries as JsonObject).keyBounds;
    });
    expect(capabilitiesOf(without)).toEqual(['login', 'getByEmail', 'exportUsers', 'markMigrated']);
    await without.close?.();
    const withBounds = await makeConnector(url);
    expect(capabilitiesOf(withBounds)).toContain('planPartitions');
    await withBounds.close?.();
  });

  it.each<[string, (q: JsonObject, cfg: JsonObject) => void, RegExp]>([
    ['keyBounds without the columns it must return', (q) => (q.keyBounds = 'SELECT min(id), max(id) AS high, count(*) AS n FROM users'), /low, total/],
    ['keyBounds with a parameter', (q) => (q.keyBounds = 'SELECT min(id) AS low, max(id) AS high, count(*) AS total FROM users WHERE id > :after'), /does not provide/],
    ['keyAt without :offset', (q) => (q.keyAt = 'SELECT id FROM users ORDER BY id LIMIT 1 OFFSET 3'), /must use the parameter :offset/],
    ['keyAt splicing its offset', (q) => (q.keyAt = "SELECT id FROM users ORDER BY id LIMIT 1 OFFSET ':offset'"), /inside quotes/],
    ['keyAt without keyBounds', (q) => ((q.keyAt = 'SELECT id FROM users ORDER BY id LIMIT 1 OFFSET :offset'), delete q.keyBounds), /needs queries\.keyBounds/],
    ['keyBounds without exportPage', (q) => delete q.exportPage, /needs queries\.exportPage/],
    ['text keys without keyAt', (_q, cfg) => ((cfg.export as JsonObject).start = ''), /Text export keys/],
  ])('refuses %s when the config loads, naming the key', async (_label, patch, message) => {
    const load = makeConnector(url, 'users', (cfg) => patch(cfg.queries as JsonObject, cfg));
    await expect(load).rejects.toBeInstanceOf(ConfigError);
    await expect(load).rejects.toThrow(message);
    await expect(load).rejects.toThrow(/queries\.(keyBounds|keyAt)|Text export keys/);
  });

  it('a keyBounds result without the named columns is a ConfigError when partitions are planned', async () => {
    const c = await makeConnector(url, 'users', (cfg) => {
      // `low` is named (as a table alias), so the load-time check passes; the result has no such column.
      (cfg.queries as JsonObject).keyBounds = 'SELECT min(id) AS lowest, max(id) AS high, count(*) AS total FROM users AS low';
    });
    await expect(c.planPartitions!(2)).rejects.toEqual(expect.objectContaining({ code: 'query_columns_missing', message: expect.stringContaining('queries.keyBounds does not return the column low') }));
    await c.close?.();
  });
});
