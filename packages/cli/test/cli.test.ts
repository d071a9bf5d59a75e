/**
 * End-to-end tests of the built `ferry` binary against a generated legacy SQLite
 * database (the README's test command builds first).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { legacyConnectorConfig, legacyUserAt, writeLegacyDatabase, type LegacyUser } from '@ferry/testkit';
import { stringify } from 'yaml';
import { ferry } from './run-cli';

const SEED = 'cli-test';
let dir: string;
let good: LegacyUser[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-cli-'));
  await writeLegacyDatabase(`sqlite:${join(dir, 'legacy.db')}`, { count: 60, seed: SEED, defectRate: 0, duplicateRate: 0 });
  writeFileSync(join(dir, 'ferry.yaml'), stringify({ store: 'sqlite:./ferry.db', connector: { id: 'sql', config: legacyConnectorConfig('sqlite:./legacy.db') } }));
  good = [];
  for (let i = 0; good.length < 4; i++) {
    const u = await legacyUserAt({ count: 60, seed: SEED, defectRate: 0, duplicateRate: 0 }, i);
    if (u.email && !u.disabled) good.push(u);
  }
}, 60000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const user = (i: number) => good[i] as LegacyUser;

describe('ferry try', () => {
  it('try login checks the password with legacy only and writes nothing', async () => {
    const ok = await ferry(['try', 'login', user(0).email!, '--password-stdin', '--json'], { cwd: dir, stdin: `${user(0).password}\n` });
    expect(ok.code).toBe(0);
    expect(ok.json()).toEqual(expect.objectContaining({ ok: true, profile: expect.objectContaining({ email: user(0).email }) }));
    const bad = await ferry(['try', 'login', user(0).email!, '--password-stdin'], { cwd: dir, stdin: 'wrong-password\n' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('refused: invalid_credentials');
    expect(existsSync(join(dir, 'ferry.db'))).toBe(false);
  });

  it('try get-user finds a legacy user, and says so when there is none', async () => {
    const found = await ferry(['try', 'get-user', user(1).email!.toUpperCase(), '--json'], { cwd: dir });
    expect(found.code).toBe(0);
    expect((found.json() as { found: boolean }).found).toBe(true);
    const none = await ferry(['try', 'get-user', 'nobody@example.invalid'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('not found');
  });

  it('refuses to prompt without a terminal and points at --password-stdin', async () => {
    const r = await ferry(['try', 'login', user(0).email!], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--password-stdin');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ferry login, users, status, mode', () => {
  it('migrates on first login, then verifies from the store', async () => {
    const first = await ferry(['login', user(2).email!, '--password-stdin', '--json'], { cwd: dir, stdin: `${user(2).password}\n` });
    expect(first.code).toBe(0);
    expect(first.json()).toEqual(expect.objectContaining({ ok: true, migrated: true, source: 'legacy' }));
    const again = await ferry(['login', user(2).email!, '--password-stdin', '--json'], { cwd: dir, stdin: `${user(2).password}\n` });
    expect(again.json()).toEqual(expect.objectContaining({ ok: true, migrated: false, source: 'store' }));
    const wrong = await ferry(['login', user(2).email!, '--password-stdin'], { cwd: dir, stdin: 'nope\n' });
    expect(wrong.code).toBe(1);
  });

  it('lists, gets, searches and deletes users; never prints a hash', async () => {
    const list = await ferry(['users', 'list', '--json'], { cwd: dir });
    const users = (list.json() as { users: Array<{ profile: { user_id: string; email: string } }> }).users;
    expect(users.map((u) => u.profile.email)).toContain(user(2).email);
    const id = users.find((u) => u.profile.email === user(2).email)!.profile.user_id;
    const got = await ferry(['users', 'get', user(2).email!], { cwd: dir });
    expect(got.code).toBe(0);
    expect(got.stdout).toContain('credential: argon2id');
    expect(got.stdout).not.toContain('$argon2id$');
    const search = await ferry(['users', 'search', user(2).email!.slice(0, 6), '--json'], { cwd: dir });
    expect((search.json() as { users: unknown[] }).users.length).toBeGreaterThan(0);
    const unconfirmed = await ferry(['users', 'delete', id], { cwd: dir });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('--yes');
    const del = await ferry(['users', 'delete', id, '--yes', '--json'], { cwd: dir });
    expect(del.json()).toEqual({ deleted: true, user_id: id });
  });

  it('status counts users by origin; mode disconnected stops legacy logins', async () => {
    await ferry(['login', user(3).email!, '--password-stdin'], { cwd: dir, stdin: `${user(3).password}\n` });
    const status = await ferry(['status', '--json'], { cwd: dir });
    expect(status.code).toBe(0);
    const s = status.json() as { mode: string; stats: { byOrigin: { login: number } } };
    expect(s.mode).toBe('import');
    expect(s.stats.byOrigin.login).toBeGreaterThanOrEqual(1);
    expect((await ferry(['mode', 'disconnected', '--json'], { cwd: dir })).json()).toEqual({ mode: 'disconnected', previous: 'import' });
    const migrated = await ferry(['login', user(3).email!, '--password-stdin'], { cwd: dir, stdin: `${user(3).password}\n` });
    expect(migrated.code).toBe(0);
    const never = await ferry(['login', user(1).email!, '--password-stdin'], { cwd: dir, stdin: `${user(1).password}\n` });
    expect(never.code).toBe(1);
    expect((await ferry(['mode'], { cwd: dir })).stdout.trim()).toBe('disconnected');
    await ferry(['mode', 'import'], { cwd: dir });
  });
});

describe('ferry init and configuration errors', () => {
  it('init writes a commented template for a connector and refuses to overwrite', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ferry-init-'));
    try {
      const r = await ferry(['init', '--connector', 'sql'], { cwd: d });
      expect(r.code).toBe(0);
      expect(existsSync(join(d, 'ferry.yaml'))).toBe(true);
      const again = await ferry(['init', '--connector', 'sql'], { cwd: d });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('--force');
      const unknown = await ferry(['init', '--connector', 'nope', '--config', 'other.yaml'], { cwd: d });
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("'nope'");
      expect(unknown.stderr).toContain('sql');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('a missing config file says how to create one', async () => {
    const r = await ferry(['status'], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ferry init');
  });

  it('an invalid config names every bad key, with no stack trace', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ferry-badcfg-'));
    try {
      writeFileSync(join(d, 'ferry.yaml'), 'mode: sideways\nconnector:\n  id: sql\n  config: {}\nextra: 1\n');
      const r = await ferry(['status', '--json'], { cwd: d });
      expect(r.code).toBe(2);
      const err = (r.json() as { error: { code: string; message: string } }).error;
      expect(err.code).toBe('config_invalid');
      expect(err.message).toContain('mode: must be one of');
      expect(err.message).toContain('extra: is not a known setting');
      writeFileSync(join(d, 'ferry.yaml'), 'connector:\n  id: sql\n  config:\n    url: ${FERRY_TEST_UNSET_VAR}\n');
      const env = await ferry(['try', 'get-user', 'a@b.co'], { cwd: d });
      expect(env.code).toBe(2);
      expect(env.stderr).toContain('FERRY_TEST_UNSET_VAR');
      expect(env.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});
