/**
 * Several machines on one PostgreSQL store (issue #10): four `ferry serve` processes take
 * first logins of the same users at the same moment (each user's logins go to different
 * processes at once), while `ferry migrate --remaining --workers 2` bulk-imports the same
 * users. Afterwards every legacy user is in the store exactly once, with exactly one
 * credential, and that credential verifies the user's password.
 *
 * Scale: FERRY_MULTIPROCESS_USERS (default 5000 users, four logins each = 20,000 logins).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordHashingService, PostgresUserStore } from '@ferry/core';
import { generateLegacyUsers, legacyConnectorConfig, startEmbeddedPostgres, writeLegacyDatabase, type LegacyUser, type RunningDatabase } from '@ferry/testkit';
import { stringify } from 'yaml';
import { ferry } from './run-cli';
import { spawnServe, type ServeProcess } from './serve-process';

const USERS = Number(process.env.FERRY_MULTIPROCESS_USERS ?? 5000);
const LOGINS_PER_USER = 4;
const SERVERS = 4;
const KEY = 'multi-process-test-api-key-0123456789';
// Cheap legacy hashes: the test is about coordination, and argon2id at OWASP cost is already 15 ms a login.
const OPTS = { count: USERS, seed: 'multi-process', defectRate: 0, duplicateRate: 0, formats: { 'salted-sha256': 3, bcrypt: 1 } } as const;

let dir: string;
let pg: RunningDatabase;
let storeUrl: string;
const users: LegacyUser[] = [];
const servers: ServeProcess[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-multi-'));
  pg = await startEmbeddedPostgres();
  storeUrl = `${pg.url}?schema=multi`;
  await writeLegacyDatabase(`sqlite:${join(dir, 'legacy.db')}`, OPTS);
  for await (const batch of generateLegacyUsers(OPTS)) users.push(...batch);
  writeFileSync(
    join(dir, 'ferry.yaml'),
    stringify({
      store: storeUrl,
      connector: { id: 'sql', config: legacyConnectorConfig(`sqlite:${join(dir, 'legacy.db')}`, { pageSize: 200 }) },
      serve: {
        auth: { apiKeys: [{ name: 'load', key: KEY }] },
        // One client sends everything here; per-identifier limits stay at their defaults.
        throttle: { client: { burst: 1_000_000, perMinute: 100_000_000 } },
      },
    }),
  );
  // Schema upgrades are safe from several machines at once.
  const migrations = await Promise.all([0, 1, 2].map(() => ferry(['store', 'migrate'], { cwd: dir })));
  for (const m of migrations) expect(m.code).toBe(0);
  for (let i = 0; i < SERVERS; i++) servers.push(await spawnServe(dir));
}, 300_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => (s.child.exitCode === null ? s.stop('SIGKILL') : undefined)));
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

/** Logins in rounds: each user's four logins go to the four servers at the same moment. */
async function loginStorm(atOneThird: () => void): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  const order = users.map((u) => u.index).sort((a, b) => ((a * 7919) % 5003) - ((b * 7919) % 5003));
  let next = 0;
  const worker = async () => {
    for (;;) {
      if (next === Math.floor(order.length / 3)) atOneThird();
      const index = order[next++];
      if (index === undefined) return;
      const user = users[index] as LegacyUser;
      const answers = await Promise.all(
        Array.from({ length: LOGINS_PER_USER }, (_, k) =>
          fetch(`${(servers[(index + k) % SERVERS] as ServeProcess).url}/v1/login`, {
            method: 'POST',
            headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
            body: JSON.stringify({ identifier: user.email, password: user.password }),
          }).then(async (r) => {
            await r.arrayBuffer();
            return r.status;
          }),
        ),
      );
      for (const status of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return statuses;
}

describe('four ferry serve processes and a parallel bulk run on one PostgreSQL store', () => {
  it('ends with every user exactly once, with exactly one credential that verifies their password', async () => {
    const started = Date.now();
    // The bulk run starts once a third of the users are logging in, so both paths create users.
    let bulk: ReturnType<typeof ferry> | undefined;
    const statuses = await loginStorm(() => {
      bulk = ferry(['migrate', '--remaining', '--workers', '2', '--batch-size', '250', '--json'], { cwd: dir, timeoutMs: 600_000 });
    });
    const stormSeconds = (Date.now() - started) / 1000;
    const migrated = await (bulk as ReturnType<typeof ferry>);
    process.stderr.write(`multi-process: ${USERS * LOGINS_PER_USER} logins in ${stormSeconds.toFixed(1)} s; bulk done after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    expect(migrated.stderr).not.toMatch(/\n\s+at /);
    expect(migrated.code).toBe(0);
    const summary = migrated.json() as { status: string; counts: { read: number; written: number; skipped: number; rejected: number } };
    expect(summary.status).toBe('complete');
    expect(summary.counts.read).toBe(USERS);
    expect(summary.counts.rejected).toBe(0);
    expect(summary.counts.written + summary.counts.skipped).toBe(USERS);
    expect(summary.counts.skipped).toBeGreaterThan(0);

    const disabled = users.filter((u) => u.disabled).length;
    expect(statuses.get(200)).toBe((USERS - disabled) * LOGINS_PER_USER);
    expect(statuses.get(403) ?? 0).toBe(disabled * LOGINS_PER_USER);
    expect([...statuses.keys()].sort()).toEqual(disabled > 0 ? [200, 403] : [200]);

    const store = new PostgresUserStore(storeUrl);
    const hashing = new PasswordHashingService();
    try {
      await store.migrate();
      // Credentials are keyed by user, so "with a credential" means exactly one each.
      const stats = await store.stats('default');
      expect(stats.total).toBe(USERS);
      expect(stats.withCredential).toBe(USERS);
      expect(stats.byOrigin.login).toBeGreaterThan(0);
      expect(stats.byOrigin.bulk).toBeGreaterThan(0);
      const connection = 'default';
      const wrong: string[] = [];
      let next = 0;
      const check = async () => {
        for (;;) {
          const user = users[next++];
          if (user === undefined) return;
          const stored = await store.findByEmail(connection, user.email as string);
          const credential = stored === null ? null : await store.getCredential(connection, stored.profile.user_id);
          const ok = stored !== null && stored.profile.user_id === String(user.id) && credential !== null && (await hashing.verify(credential.hash, user.password)).match;
          if (!ok) wrong.push(String(user.id));
        }
      };
      await Promise.all(Array.from({ length: 4 }, check));
      expect(wrong).toEqual([]);
    } finally {
      await store.close();
    }
  }, 900_000);
});
