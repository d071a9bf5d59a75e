#!/usr/bin/env node
/**
 * sql-export benchmark: users/s and peak RSS exporting N generated users to NDJSON
 * through @ferry/connector-sql, against a plain driver loop reading the same rows with
 * the same keyset pages. Each phase runs in its own process so peak RSS is its own.
 *
 *   pnpm build && node bench/sql-export/run.js [sqlite,postgres,mariadb] 
 *   BENCH_USERS=100000 node bench/sql-export/run.js sqlite
 */
const { fork } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const seedLegacy = require('../legacy-seed');

const dist = (pkg) => join(__dirname, '..', '..', 'packages', pkg, 'dist');
const PAGE = 1000;

async function seedDatabase(kind, count, dir) {
  const testkit = require(dist('testkit'));
  let server;
  let url;
  if (kind === 'sqlite') url = `sqlite:${join(dir, 'legacy.db')}`;
  else server = kind === 'postgres' ? await testkit.startEmbeddedPostgres() : await testkit.startMariaDb();
  url ??= server.url;
  await seedLegacy(url, count, { label: kind });
  return { url, config: testkit.legacyConnectorConfig(url, { pageSize: PAGE }), stop: () => server?.stop() };
}

function runPhase(phase, url, config, out) {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--phase', phase], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.send({ url, config, out });
    child.on('message', resolve);
    child.on('exit', (code) => code !== 0 && reject(new Error(`${phase} phase exited with ${code}`)));
  });
}

async function writeLines(stream, text) {
  if (!stream.write(text)) await new Promise((r) => stream.once('drain', r));
}

/** The plain loop: the same keyset query through the bare driver, rows straight to NDJSON. */
async function plainLoop(url, config, stream) {
  const sql = config.queries.exportPage;
  let after = 0;
  let n = 0;
  let fetch;
  let close;
  if (url.startsWith('sqlite:')) {
    const db = new (require(join(dist('connector-sql'), '..', 'node_modules', 'better-sqlite3')))(url.slice(7), { readonly: true });
    const stmt = db.prepare(sql.replace(':after', '?').replace(':limit', '?'));
    fetch = async () => stmt.all(after, PAGE);
    close = async () => db.close();
  } else if (url.startsWith('postgres')) {
    const { Pool } = require(join(dist('connector-sql'), '..', 'node_modules', 'pg'));
    const pool = new Pool({ connectionString: url, max: 1 });
    const text = sql.replace(':after', '$1').replace(':limit', '$2');
    fetch = async () => (await pool.query({ name: 'plain', text, values: [after, PAGE] })).rows;
    close = () => pool.end();
  } else {
    const mysql = require(join(dist('connector-sql'), '..', 'node_modules', 'mysql2', 'promise'));
    const pool = mysql.createPool({ uri: url, connectionLimit: 1 });
    const text = sql.replace(':after', '?').replace(':limit', '?');
    fetch = async () => (await pool.execute(text, [String(after), String(PAGE)]))[0];
    close = () => pool.end();
  }
  for (;;) {
    const rows = await fetch();
    if (rows.length > 0) await writeLines(stream, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    n += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
  await close();
  return n;
}

/** Ferry: the connector's exportUsers, records (with their hashes) to NDJSON. */
async function ferryExport(url, config, stream) {
  const core = require(dist('core'));
  const { sqlConnectorDefinition } = require(dist('connector-sql'));
  const logger = core.createLogger({ level: 'warn' });
  const valid = core.validateConfig(sqlConnectorDefinition.configSchema, config, 'connector.config');
  const connector = await sqlConnectorDefinition.create(valid, { logger, hashing: new core.PasswordHashingService(), http: new core.DefaultHttpClientFactory(logger), baseDir: process.cwd() });
  let n = 0;
  for await (const page of connector.exportUsers({})) {
    if (page.records.length > 0) await writeLines(stream, page.records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    n += page.records.length + (page.rejects?.length ?? 0);
  }
  await connector.close();
  return n;
}

async function child() {
  const { url, config, out } = await new Promise((r) => process.once('message', r));
  const stream = require('node:fs').createWriteStream(out);
  const phase = process.argv[3];
  // Load modules before the clock starts: startup is not export throughput.
  require(dist('core'));
  require(dist('connector-sql'));
  const t = process.hrtime.bigint();
  const n = await (phase === 'plain' ? plainLoop : ferryExport)(url, config, stream);
  await new Promise((r) => stream.end(r));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.send({ n, seconds, usersPerSecond: Math.round(n / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }, () => process.exit(0));
}

async function main() {
  const kinds = (process.argv[2] ?? 'sqlite,postgres,mariadb').split(',');
  const count = Number(process.env.BENCH_USERS ?? 1_000_000);
  const results = [];
  for (const kind of kinds) {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-sql-'));
    const db = await seedDatabase(kind, count, dir);
    try {
      const plain = await runPhase('plain', db.url, db.config, join(dir, 'plain.ndjson'));
      const ferry = await runPhase('ferry', db.url, db.config, join(dir, 'ferry.ndjson'));
      const row = { db: kind, users: count, plain, ferry, ratio: +(ferry.usersPerSecond / plain.usersPerSecond).toFixed(2) };
      console.log(JSON.stringify(row));
      results.push(row);
    } finally {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('\n| database | users | plain loop users/s | ferry users/s | ratio | plain peak RSS | ferry peak RSS |\n|---|---|---|---|---|---|---|');
  for (const r of results) console.log(`| ${r.db} | ${r.users} | ${r.plain.usersPerSecond} | ${r.ferry.usersPerSecond} | ${r.ratio}× | ${r.plain.peakRssMb} MB | ${r.ferry.peakRssMb} MB |`);
}

if (process.argv[2] === '--phase') child().catch((e) => (console.error(e), process.exit(1)));
else main().catch((e) => (console.error(e), process.exit(1)));
