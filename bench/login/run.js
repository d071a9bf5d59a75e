#!/usr/bin/env node
// bench/login: the engine's own overhead per login (time beyond the password hash and
// the legacy round trip), for migrated and first-time users, p50/p99; and migrated-user
// logins/s against raw argon2id verify throughput in the same run.
// Needs `pnpm build`. Usage: node bench/login/run.js [--users 300] [--logins 2000]
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const core = require('../../packages/core/dist');
const argon2 = require(require.resolve('@node-rs/argon2', { paths: [join(__dirname, '../../packages/core')] }));
const machine = require('../machine');
const writeSection = require('../results');

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? def : Number(process.argv[i + 1]);
};
const USERS = arg('users', 300);
const LOGINS = arg('logins', 2000);
const CONCURRENCY = 4;

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** Wraps a service, adding the time each call of `methods` takes to `acc.ms`. */
function timed(target, methods, acc) {
  const out = Object.create(target);
  for (const m of methods) {
    out[m] = async (...a) => {
      const t = performance.now();
      try {
        return await target[m](...a);
      } finally {
        acc.ms += performance.now() - t;
      }
    };
  }
  for (const m of ['needsRehash', 'schemeOf']) out[m] = (...a) => target[m](...a);
  return out;
}

async function pool(n, work) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < n) await work(next++);
  }));
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-login-'));
  const logger = core.createLogger({ level: 'silent' });
  const store = new core.SqliteUserStore(join(dir, 'ferry.db'));
  await store.migrate();
  const hashing = new core.PasswordHashingService();
  const users = Array.from({ length: USERS }, (_, i) => ({ user_id: `u${i}`, email: `user${i}@bench.example`, password: `pw-${i}-secret` }));
  const byEmail = new Map(users.map((u) => [u.email, u]));
  const connector = {
    id: 'bench',
    async login(identifier, password) {
      const u = byEmail.get(identifier);
      if (!u) return { ok: false, reason: 'not_found' };
      return u.password === password ? { ok: true, profile: { user_id: u.user_id, email: u.email, name: `User ${u.user_id}` } } : { ok: false, reason: 'invalid_credentials' };
    },
  };
  const hashAcc = { ms: 0 };
  const legacyAcc = { ms: 0 };
  const engine = new core.MigrationEngine(store, timed(connector, ['login'], legacyAcc), timed(hashing, ['hash', 'verify'], hashAcc), logger, { connection: 'bench', defaultMode: 'import' });

  // One login at a time, so each overhead sample is that login's own.
  const measure = async (email, password) => {
    hashAcc.ms = 0;
    legacyAcc.ms = 0;
    const t = performance.now();
    const r = await engine.login(email, password);
    const total = performance.now() - t;
    if (!r.ok) throw new Error(`bench login failed for ${email}`);
    return { total, overhead: total - hashAcc.ms - legacyAcc.ms };
  };
  const first = [];
  for (const u of users) first.push(await measure(u.email, u.password));
  const migrated = [];
  for (let i = 0; i < Math.min(LOGINS, 1000); i++) {
    const u = users[i % USERS];
    migrated.push(await measure(u.email, u.password));
  }

  // Throughput: migrated logins vs raw argon2id verify, same concurrency, same hashes.
  const stored = await Promise.all(users.map((u) => store.getCredential('bench', u.user_id)));
  let t = performance.now();
  await pool(LOGINS, async (i) => {
    const u = users[i % USERS];
    if (!(await engine.login(u.email, u.password)).ok) throw new Error('login failed');
  });
  const engineRate = LOGINS / ((performance.now() - t) / 1000);
  t = performance.now();
  await pool(LOGINS, async (i) => {
    if (!(await argon2.verify(stored[i % USERS].hash, users[i % USERS].password))) throw new Error('verify failed');
  });
  const rawRate = LOGINS / ((performance.now() - t) / 1000);

  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const f = (x) => x.toFixed(3);
  const o = (xs) => xs.map((x) => x.overhead);
  const rows = [
    ['first-time (migrating) login', first],
    ['migrated-user login', migrated],
  ].map(([name, xs]) => `| ${name} | ${xs.length} | ${f(pct(o(xs), 50))} | ${f(pct(o(xs), 99))} | ${f(pct(xs.map((x) => x.total), 50))} |`);
  const ratio = engineRate / rawRate;
  const body = `Machine: ${machine()}. Store: SQLite file (WAL). Legacy: in-process (0 ms). Hash: argon2id m=19456 KiB, t=2, p=1.

Engine overhead = a login's wall time minus time inside the password-hashing service and the legacy call (sequential logins).

| login | samples | overhead p50 (ms) | overhead p99 (ms) | total p50 (ms) |
|---|---|---|---|---|
${rows.join('\n')}

Throughput at concurrency ${CONCURRENCY}, ${LOGINS} logins over ${USERS} migrated users: engine ${engineRate.toFixed(1)} logins/s vs raw argon2id verify ${rawRate.toFixed(1)}/s = **${(ratio * 100).toFixed(1)}%** (target ≥ 90%).
Targets: overhead p50 ≤ 1 ms, p99 ≤ 5 ms.`;
  console.log(body);
  writeSection('login', body);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
