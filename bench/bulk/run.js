#!/usr/bin/env node
/**
 * bulk benchmark: N generated legacy users (SQLite) through Ferry's bulk pipeline to
 * Auth0 import files and into Ferry's store, against (a) a naive script that loads every
 * row, maps it and writes ~512000-byte chunks, (b) the floor: reading rows and writing
 * JSON in one loop, and (c) the store floor: the same rows inserted by SQLite alone into
 * the store's schema. Each phase runs in its own process, so peak RSS is its own.
 *
 *   pnpm build && node bench/bulk/run.js                # 100000 and 1000000 users
 *   BENCH_USERS=100000 node bench/bulk/run.js
 */
const { execFileSync, fork } = require('node:child_process');
const { mkdtempSync, rmSync, mkdirSync, writeFileSync, createWriteStream } = require('node:fs');
const { tmpdir, loadavg } = require('node:os');
const { join } = require('node:path');
const machine = require('../machine');
const writeSection = require('../results');
const seedLegacy = require('../legacy-seed');

const dist = (pkg) => join(__dirname, '..', '..', 'packages', pkg, 'dist');
const PAGE = 1000;
const LIMIT = 512000;

async function seed(count, dir) {
  const url = `sqlite:${join(dir, 'legacy.db')}`;
  await seedLegacy(url, count, { duplicateRate: 0.001, batchSize: 5000 });
  return { url, config: require(dist('testkit')).legacyConnectorConfig(url, { pageSize: PAGE }) };
}

/**
 * Flush what earlier steps wrote (the seeded database, the previous phase's output) before
 * a phase starts: every phase writes hundreds of MB, and the kernel writing back the last
 * one's dirty pages while the next runs slowed whichever phase came next (the floor, run
 * right after seeding, by up to a fifth).
 */
function settle() {
  try {
    execFileSync('sync');
  } catch {
    // No sync(1) here: phases then share the writeback as before.
  }
}

function runPhase(phase, job) {
  settle();
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--phase', phase], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send(job);
    child.on('message', resolve);
    child.on('exit', (code) => code !== 0 && reject(new Error(`${phase} phase exited with ${code}`)));
  });
}

function openSqlite(url) {
  const Database = require(join(dist('core'), '..', 'node_modules', 'better-sqlite3'));
  return new Database(url.slice('sqlite:'.length), { readonly: true });
}

/** (b) The floor: keyset pages straight from the driver, each row as JSON, one loop. */
async function floor({ url, config, out }) {
  const db = openSqlite(url);
  const stmt = db.prepare(config.queries.exportPage.replace(':after', '?').replace(':limit', '?'));
  const stream = createWriteStream(join(out, 'floor.ndjson'));
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = stmt.all(after, PAGE);
    if (rows.length > 0 && !stream.write(rows.map((r) => JSON.stringify(r)).join('\n') + '\n')) await new Promise((r) => stream.once('drain', r));
    n += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
  await new Promise((r) => stream.end(r));
  db.close();
  return n;
}

/**
 * (c) The store floor: what SQLite itself costs to hold the users the way Ferry's store does
 * — the same schema (made by the store's own migration), and copies of the store's pragmas
 * and statements (sqlite-user-store.ts; keep them in step): per user
 * a users row (primary key + unique email and username indexes), a credential and a log
 * entry, plus the state setting, 1000 users a transaction — with nothing of Ferry's around
 * it: rows read in one loop, the profile a plain JSON of the columns, the hash as the store keeps it.
 *
 * With `bound`, the least any SQLite store of users can do: the users row with its primary key
 * and the unique email index only — no username index, credential, log entry or state. What
 * this phase reaches bounds what a store sink on SQLite could reach, whatever its schema.
 */
async function storeFloor({ url, config, out }, bound = false) {
  const core = require(dist('core'));
  const path = join(out, bound ? 'store-bound.db' : 'store-floor.db');
  const store = new core.SqliteUserStore(path);
  await store.migrate();
  await store.close();
  const Database = require(join(dist('core'), '..', 'node_modules', 'better-sqlite3'));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('wal_autocheckpoint = 50000');
  if (bound) db.exec('DROP INDEX users_username');
  const insertUser = db.prepare(
    `INSERT INTO users (connection, user_id, email_lower, username_lower, profile, blocked, origin, migrated_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'bulk', ?, ?, ?) ON CONFLICT DO NOTHING`,
  );
  const insertCredential = db.prepare(
    `INSERT INTO credentials (connection, user_id, hash, scheme, source, updated_at) VALUES (?, ?, ?, ?, 'bulk', ?)
     ON CONFLICT (connection, user_id) DO UPDATE SET hash = excluded.hash, scheme = excluded.scheme, source = excluded.source, updated_at = excluded.updated_at`,
  );
  const insertLog = db.prepare("INSERT INTO migration_log (at, connection, event, user_id, email, detail) VALUES (?, ?, 'migrated', ?, ?, ?)");
  const setState = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
  const legacy = openSqlite(url);
  const page = legacy.prepare(config.queries.exportPage.replace(':after', '?').replace(':limit', '?'));
  const m = config.mapping;
  const now = new Date().toISOString();
  const detail = JSON.stringify({ run: 'store-floor' });
  const batch = db.transaction((rows) => {
    for (const r of rows) {
      if (!r[m.email]) continue;
      const id = String(r[m.user_id]);
      const profile = { user_id: id, email: r[m.email], username: r[m.username], given_name: r[m.given_name], family_name: r[m.family_name], email_verified: !!r[m.email_verified], blocked: !!r[m.blocked], app_metadata: r[m.app_metadata], user_metadata: r[m.user_metadata] };
      if (insertUser.run('default', id, r[m.email].toLowerCase(), r[m.username] ? r[m.username].toLowerCase() : null, JSON.stringify(profile), profile.blocked ? 1 : 0, now, now, now).changes === 0 || bound) continue;
      // Stored as the store stores a structured hash (`j:` + its JSON), so the rows are as long as Ferry's.
      const hash = r.password_salt ? `j:${JSON.stringify({ algorithm: 'sha256', hash: { value: r.password_hash, encoding: 'hex' }, salt: { value: r.password_salt, encoding: 'utf8', position: 'prefix' } })}` : r.password_hash;
      if (hash) insertCredential.run('default', id, hash, 'legacy', now);
      insertLog.run(now, 'default', id, r[m.email], detail);
    }
    if (!bound) setState.run('bulk:default', JSON.stringify({ after: rows.length > 0 ? rows[rows.length - 1].id : null }), now);
  });
  let after = 0;
  let n = 0;
  for (;;) {
    const rows = page.all(after, PAGE);
    batch.immediate(rows);
    n += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  legacy.close();
  return n;
}

/** (a) The naive script: load everything, map it (hash conversion included), write chunks. */
async function naive({ url, config, out }) {
  const core = require(dist('core'));
  const db = openSqlite(url);
  const rows = db.prepare('SELECT * FROM users').all();
  const m = config.mapping;
  const mapped = rows.map((r) => {
    const user = { user_id: String(r[m.user_id]), email: r[m.email], email_verified: !!r[m.email_verified], given_name: r[m.given_name], family_name: r[m.family_name] };
    try {
      const stored = r.password_salt ? { algorithm: 'sha256', hash: { value: r.password_hash, encoding: 'hex' }, salt: { value: r.password_salt, position: 'prefix' } } : r.password_hash;
      if (stored) Object.assign(user, core.toAuth0(stored));
    } catch {
      // the naive script drops what it can't convert
    }
    return user;
  });
  let chunk = [];
  let size = 2;
  let files = 0;
  const flush = () => {
    writeFileSync(join(out, `naive-${++files}.json`), JSON.stringify(chunk));
    chunk = [];
    size = 2;
  };
  for (const u of mapped) {
    const s = JSON.stringify(u).length + 1;
    if (size + s > LIMIT && chunk.length > 0) flush();
    chunk.push(u);
    size += s;
  }
  if (chunk.length > 0) flush();
  db.close();
  return mapped.length;
}

async function connector(config) {
  const core = require(dist('core'));
  const { sqlConnectorDefinition } = require(dist('connector-sql'));
  const logger = core.createLogger({ level: 'warn' });
  const valid = core.validateConfig(sqlConnectorDefinition.configSchema, config, 'connector.config');
  return sqlConnectorDefinition.create(valid, { logger, hashing: new core.PasswordHashingService(), http: new core.DefaultHttpClientFactory(logger), baseDir: process.cwd() });
}

/** What `ferry export` / `ferry migrate` pass by default: the reading thread rebuilds the connector from ferry.yaml. */
function sourceThread(config) {
  const core = require(dist('core'));
  const ferryYaml = { store: 'sqlite:./unused.db', connection: 'default', mode: 'import', log: { level: 'warn' }, connector: { id: 'sql', package: join(dist('connector-sql'), '..'), config } };
  return { sourceThread: core.sourceRecipe(ferryYaml, process.cwd()) };
}

/** Ferry to Auth0 import files: `ferry export --out` (`oneThread`: `--no-source-thread`). */
async function ferryFiles({ config, out }, oneThread = false) {
  const core = require(dist('core'));
  const source = await connector(config);
  const result = await core.runBulk({
    source,
    ...(oneThread ? {} : sourceThread(config)),
    sink: new core.FilesSink({ dir: join(out, 'ferry-files'), format: 'json' }),
    reportPath: join(out, 'ferry-files', 'report.ndjson'),
    keepFerryHash: false,
    afterComplete: 'refuse',
  });
  await source.close();
  return result.state.counts.read;
}

/** Ferry into its store: `ferry migrate --remaining`. */
async function ferryStore({ config, out }) {
  const core = require(dist('core'));
  const source = await connector(config);
  const store = new core.SqliteUserStore(join(out, 'ferry.db'));
  await store.migrate();
  const result = await core.runBulk({
    source,
    ...sourceThread(config),
    sink: new core.StoreSink({ store, hashing: new core.PasswordHashingService(), connection: 'default' }),
    reportPath: join(out, 'store-report.ndjson'),
    keepFerryHash: true,
    afterComplete: 'new',
  });
  await source.close();
  await store.close();
  return result.state.counts.read;
}

const PHASES = { floor, naive, 'ferry-files': ferryFiles, 'ferry-files-one-thread': (job) => ferryFiles({ ...job, out: join(job.out, 'one') }, true), 'store-floor': storeFloor, 'store-bound': (job) => storeFloor(job, true), 'ferry-store': ferryStore };

async function child() {
  const job = await new Promise((r) => process.once('message', r));
  const phase = process.argv[3];
  require(dist('core'));
  require(dist('connector-sql'));
  mkdirSync(job.out, { recursive: true });
  const load = loadavg()[0];
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const n = await PHASES[phase](job);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  // CPU time of the process (all its threads): on a shared machine it moves less than wall time.
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.send(
    { n, seconds: +seconds.toFixed(2), usersPerSecond: Math.round(n / seconds), cpuSeconds: +cpuSeconds.toFixed(2), usersPerCpuSecond: Math.round(n / cpuSeconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), load: +load.toFixed(1) },
    () => process.exit(0),
  );
}

async function main() {
  const sizes = (process.env.BENCH_USERS ?? '100000,1000000').split(',').map(Number);
  // BENCH_PHASES=ferry-files,floor runs only those (for quick looks; the results file is then left alone).
  const phases = process.env.BENCH_PHASES ? process.env.BENCH_PHASES.split(',') : Object.keys(PHASES);
  const rows = [];
  const loadBefore = loadavg().map((l) => l.toFixed(1)).join(', ');
  for (const count of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-bulk-'));
    try {
      const db = await seed(count, dir);
      const result = { users: count };
      for (const phase of phases) {
        result[phase] = await runPhase(phase, { ...db, out: join(dir, 'out') });
        console.log(`${count} ${phase}: ${JSON.stringify(result[phase])}`);
      }
      rows.push(result);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const lines = [
    `Machine: ${machine()}. Command: \`node bench/bulk/run.js\` (BENCH_USERS=${sizes.join(',')}).`,
    'Legacy: generated SQLite (salted sha256 and Django pbkdf2 hashes, 0.1% broken rows, 0.1% duplicate emails). Each phase in its own process; peak RSS is the process maximum.',
    `Machine load (1/5/15-min averages) before: ${loadBefore}; after: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (2 cores shared with other work: wall times move with it, CPU seconds less).`,
    '',
    '| users | phase | users/s | × floor | seconds | CPU s | users/CPU-s | × floor (CPU) | peak RSS | load at start |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    for (const phase of phases) {
      const p = r[phase];
      const f = r.floor ?? p;
      lines.push(
        `| ${r.users} | ${phase} | ${p.usersPerSecond} | ${(p.usersPerSecond / f.usersPerSecond).toFixed(2)} | ${p.seconds} | ${p.cpuSeconds} | ${p.usersPerCpuSecond} | ${(p.usersPerCpuSecond / f.usersPerCpuSecond).toFixed(2)} | ${p.peakRssMb} MB | ${p.load} |`,
      );
    }
  }
  lines.push('', 'Targets (issue #8): Ferry ≥ 0.5× the floor, faster than the naive script, peak RSS ≤ 250 MB and flat from 100k to 1M.');
  for (const r of rows) {
    const [store, storeFloor] = [r['ferry-store'], r['store-floor']];
    if (store && storeFloor && r.floor) {
      lines.push(
        `At ${r.users} users the store floor (SQLite alone, Ferry's schema) runs at ${(storeFloor.usersPerSecond / r.floor.usersPerSecond).toFixed(2)}× the floor; ferry-store at ${(store.usersPerSecond / storeFloor.usersPerSecond).toFixed(2)}× the store floor.`,
      );
    }
    const bound = r['store-bound'];
    if (bound && r.floor) {
      const x = bound.usersPerSecond / r.floor.usersPerSecond;
      lines.push(
        `At ${r.users} users the store bound (SQLite alone: the users row with its primary key and unique email index, nothing else) runs at ${x.toFixed(2)}× the floor${x < 0.5 ? ': no store sink on SQLite can reach 0.5× here' : ''}.`,
      );
    }
  }
  console.log(lines.join('\n'));
  if (!process.env.BENCH_PHASES) writeSection('bulk', lines.join('\n'));
}

if (process.argv[2] === '--phase') child().catch((e) => (console.error(e), process.exit(1)));
else main().catch((e) => (console.error(e), process.exit(1)));
