#!/usr/bin/env node
// bench/serve: `ferry serve` under load on loopback. The server (server.js) and the load
// generator (load.js) each run in a process of their own; this process only measures the
// raw hash and orchestrates.
//  1. first-time logins (each migrates a user) against a fake legacy source answering in 50 ms;
//  2. migrated-user logins at full load (wrk if installed, else autocannon; closed loop): logins/s vs raw argon2id
//     verify throughput on the same machine, target ≥ 85%;
//  3. migrated-user logins at 80% of the measured full-load rate, open loop (paced arrivals,
//     then Poisson arrivals): p99 latency, target < 2× one hash verify;
//  4. the same paced 80% run against a server with the hash queue switched off, for comparison
//  5. the same paced 80% rate of argon2 verifies alone, in this process (no HTTP, no generator):
//     the p99 the machine itself gives at that load, below which no server here can go
//     (3, 4 and 5 in interleaved slices).
// Needs `npx tsc -b tsconfig.build.json`. Usage: node bench/run.js serve   (or node bench/serve/run.js [--no-write])
// Env: BENCH_USERS (400), BENCH_SECONDS (full-load seconds, 12), BENCH_AT80_SECONDS (seconds of each 80% kind, 20).
const { spawn, execFile } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { generateKeyPairSync, sign } = require('node:crypto');
const os = require('node:os');
const { join } = require('node:path');
const argon2 = require(require.resolve('@node-rs/argon2', { paths: [join(__dirname, '../../packages/core')] }));
const core = require('../../packages/core/dist');
const machine = require('../machine');
const writeSection = require('../results');

const USERS = Number(process.env.BENCH_USERS ?? 400);
const LEGACY_MS = 50;
const DURATION = Number(process.env.BENCH_SECONDS ?? 12);
const AT80_SECONDS = Number(process.env.BENCH_AT80_SECONDS ?? 20);
const AT80_SLICES = 4;
const RAW_IN_FLIGHT = 8;
const FULL_CONNECTIONS = 16;
const ROUNDS = 3;
const WRITE = !process.argv.includes('--no-write');

function jwt(privateKey) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: 'https://bench.example/', aud: 'ferry-bench', sub: 'bench@clients', iat: now, exp: now + 3600 })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function startServer(publicKey, env = {}) {
  const child = spawn(process.execPath, [join(__dirname, 'server.js')], {
    env: { ...process.env, ...env, BENCH_USERS: String(USERS), BENCH_LEGACY_MS: String(LEGACY_MS), BENCH_PUBLIC_KEY: publicKey },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ child, ...JSON.parse(line) });
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
}

/** The server's main-thread time so far: {ms, how}. */
function mainThreadMs(child) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send('cpu');
  });
}

function stopServer(child) {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/** One load job in its own process (load.js). */
function load(job) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'load.js'), JSON.stringify(job)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`load generator failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop()));
    });
  });
}

async function rawVerifyRate(hash, password, seconds, inFlight) {
  const deadline = performance.now() + seconds * 1000;
  let n = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        if (!(await argon2.verify(hash, password))) throw new Error('verify failed');
        n++;
      }
    }),
  );
  return n / seconds;
}

async function oneVerifyMs(hash, password) {
  const singles = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await argon2.verify(hash, password);
    singles.push(performance.now() - t);
  }
  singles.sort((a, b) => a - b);
  return singles[Math.floor(singles.length / 2)];
}

/**
 * The verifies alone at the 80% rate: argon2 verifies started at paced times in this process
 * (no HTTP, no generator, the server idle), at most `slots` at once in a FIFO queue as in the
 * server, latency counted from the scheduled time. No server on this machine can have a lower
 * p99 than its own verifies have here.
 */
async function rawPaced(hash, password, rate, seconds, slots) {
  const queue = new core.Slots(slots);
  const latencies = [];
  const started = [];
  const t0 = performance.now() + 50;
  const count = Math.floor((seconds * rate) + 1e-9);
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    started.push(
      queue.run(async () => {
        if (!(await argon2.verify(hash, password))) throw new Error('verify failed');
        latencies.push(performance.now() - due);
      }),
    );
  }
  await Promise.all(started);
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, seconds: (performance.now() - t0) / 1000, latencies, p99: percentile(latencies, 0.99), non2xx: 0, errors: 0 };
}

/** p99 response time, in service times, of an ideal FIFO queue with `servers` servers, fixed service time and Poisson arrivals at `utilisation`. */
function idealQueueP99(servers, utilisation, n = 400000) {
  let seed = 12345;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const free = new Array(servers).fill(0);
  const response = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += -Math.log(1 - random()) / (servers * utilisation);
    let k = 0;
    for (let j = 1; j < servers; j++) if (free[j] < free[k]) k = j;
    const start = Math.max(t, free[k]);
    free[k] = start + 1;
    response[i] = start + 1 - t;
  }
  response.sort();
  return response[Math.ceil(0.99 * n) - 1];
}

/** Busy and total jiffies of all CPUs so far (/proc/stat), or undefined off Linux. */
function cpuTimes() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    // idle and iowait are the 4th and 5th fields.
    return { busy: total - fields[3] - (fields[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

const percentile = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);

function check(name, r) {
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${name} failed: ${r.non2xx} non-2xx, ${r.errors} errors`);
}

async function main() {
  const load0 = os.loadavg();
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' });
  const token = jwt(privateKey);
  const job = (url, extra) => ({ url, token, users: USERS, start: 0, ...extra });
  let server = await startServer(pem);
  let unqueuedServer;
  try {
    // One hash verify, sequential, idle server: the reference latency.
    const hash = await new core.PasswordHashingService().hash('pw-0-secret');
    const hashMs = await oneVerifyMs(hash, 'pw-0-secret');

    // 1. First-time logins: every request migrates a different user through the 50 ms legacy.
    const first = await load(job(server.url, { kind: 'closed', connections: 16, amount: USERS }));
    check('first-time logins', first);

    // 2. Raw verify throughput and migrated logins at full load, in interleaved rounds
    // (raw, served, raw, served, …) so changing background load hits both alike.
    // Raw is measured two ways: with more verifies in flight than libuv's pool runs (the pool
    // never idles), and with as many as the server's hash queue lets run; served is compared
    // with the better of the two. They agree on an idle machine; on a busy one more threads
    // win a larger share of the cores from other processes.
    const slice = DURATION / ROUNDS;
    let rawTotal = 0;
    let rawQueueTotal = 0;
    const full = { requests: 0, seconds: 0, p50: [], p99: [], non2xx: 0, errors: 0, timeouts: 0, generator: '' };
    for (let r = 0; r < ROUNDS; r++) {
      rawTotal += (await rawVerifyRate(hash, 'pw-0-secret', slice, RAW_IN_FLIGHT)) * slice;
      rawQueueTotal += (await rawVerifyRate(hash, 'pw-0-secret', slice, server.hashConcurrency)) * slice;
      const part = await load(job(server.url, { kind: 'closed', connections: FULL_CONNECTIONS, seconds: slice, start: r * 101 }));
      full.requests += part.requests;
      full.seconds += part.seconds;
      full.p50.push(part.p50);
      full.p99.push(part.p99);
      full.non2xx += part.non2xx;
      full.errors += part.errors;
      full.timeouts += part.timeouts;
      full.generator = part.generator;
    }
    check('migrated logins', full);
    const rawPool = rawTotal / DURATION;
    const rawQueue = rawQueueTotal / DURATION;
    const raw = Math.max(rawPool, rawQueue);
    const served = full.requests / full.seconds;
    const ratio = served / raw;

    // 3. Open loop at 80% of the full-load rate the server just showed: paced and Poisson
    // arrivals, and paced against a second server with the hash queue off (its users migrated
    // first, unmeasured). Short slices taken in turn, pooled per kind, so load from other
    // processes that comes and goes hits all three alike.
    const rate = Math.max(1, Math.floor(served * 0.8));
    const slots = server.hashConcurrency;
    unqueuedServer = await startServer(pem, { BENCH_HASH_CONCURRENCY: '1024' });
    check('first-time logins (no queue)', await load(job(unqueuedServer.url, { kind: 'closed', connections: 16, amount: USERS })));
    const kinds = [
      { name: 'paced', server, arrivals: 'paced' },
      { name: 'poisson', server, arrivals: 'poisson' },
      { name: 'unqueued', server: unqueuedServer, arrivals: 'paced' },
      { name: 'raw', arrivals: 'paced' },
    ];
    const pooled = Object.fromEntries(kinds.map((k) => [k.name, { requests: 0, seconds: 0, latencies: [], sliceP99: [], non2xx: 0, errors: 0, timeouts: 0, busy: 0, total: 0 }]));
    let mainMs = 0;
    for (let r = 0; r < AT80_SLICES; r++) {
      for (const k of kinds) {
        const before = k.name === 'paced' ? await mainThreadMs(server.child) : undefined;
        const cpu0 = cpuTimes();
        const part =
          k.name === 'raw'
            ? await rawPaced(hash, 'pw-0-secret', rate, AT80_SECONDS / AT80_SLICES, slots)
            : await load(job(k.server.url, { kind: 'open', arrivals: k.arrivals, rate, seconds: AT80_SECONDS / AT80_SLICES, start: r * 37 }));
        const cpu1 = cpuTimes();
        if (before !== undefined) mainMs += (await mainThreadMs(server.child)).ms - before.ms;
        const p = pooled[k.name];
        if (cpu0 && cpu1) {
          p.busy += cpu1.busy - cpu0.busy;
          p.total += cpu1.total - cpu0.total;
        }
        p.requests += part.requests;
        p.seconds += part.seconds;
        p.latencies.push(...part.latencies);
        p.sliceP99.push(part.p99);
        p.non2xx += part.non2xx;
        p.errors += part.errors;
      }
    }
    for (const [name, p] of Object.entries(pooled)) {
      check(`${name} 80% run`, p);
      p.latencies.sort((a, b) => a - b);
      p.p50 = percentile(p.latencies, 0.5);
      p.p99 = percentile(p.latencies, 0.99);
    }
    const { paced, poisson, unqueued, raw: rawAt80 } = pooled;
    const mainMsPerLogin = mainMs / paced.requests;
    const mainHow = (await mainThreadMs(server.child)).how;
    await stopServer(unqueuedServer.child);
    unqueuedServer = undefined;
    await stopServer(server.child);
    server = undefined;
    const hashMsAfter = await oneVerifyMs(hash, 'pw-0-secret');
    const load1 = os.loadavg();

    const f0 = (x) => x.toFixed(0);
    const f1 = (x) => x.toFixed(1);
    const x = (ms) => `${(ms / hashMs).toFixed(2)}×`;
    const row = (name, conns, r) => `| ${name} | ${conns} | ${r.requests} | ${f1(r.requests / r.seconds)} | ${f0(r.p50)} | ${f0(r.p99)} | ${x(r.p99)} |`;
    const ideal = idealQueueP99(2, 0.8);
    // How busy the whole machine's CPUs were during each kind's slices (every process: server, generator, this one, others).
    const busy = (p) => (p.total > 0 ? `${((100 * p.busy) / p.total).toFixed(0)}%` : 'n/a');
    const body = `Machine: ${machine()}. Load average (1/5/15 min) before/after: ${load0.map(f1).join(' ')} / ${load1.map(f1).join(' ')} — ${os.cpus().length} cores shared with other engineers' builds and benchmarks, so numbers are noisy (this benchmark alone adds about 3: two hash threads, the HTTP thread, the generator). Server: \`ferry serve\` in its own process (engine backend, SQLite store, RS256 JWT auth, pino at warn, hash queue of ${slots} = one argon2 per core). Load: a separate generator process on loopback — ${full.generator === 'wrk' ? 'wrk (C; autocannon, in JS, when wrk is not installed)' : 'autocannon (wrk is not installed here)'}, ${FULL_CONNECTIONS} connections, closed loop, for full load; autocannon for the fixed count of first-time logins; for 80% load an open-loop generator (bench/serve/load.js: requests sent at their scheduled times on as many keep-alive connections as needed, latency counted from the scheduled time). Hash: argon2id m=19456 KiB, t=2, p=1; one verify, sequential, measured just before the load: **${f1(hashMs)} ms** (median of 30; ${f1(hashMsAfter)} ms just after). Command: \`node bench/run.js serve\` after \`npx tsc -b tsconfig.build.json\`.

| run | connections | requests | logins/s | p50 (ms) | p99 (ms) | p99 / one verify |
|---|---:|---:|---:|---:|---:|---:|
${row('first-time logins (legacy 50 ms, each migrates)', 16, first)}
${row(`migrated logins, full load (${ROUNDS} rounds interleaved with raw verify; worst round's p50/p99)`, FULL_CONNECTIONS, { requests: full.requests, seconds: full.seconds, p50: Math.max(...full.p50), p99: Math.max(...full.p99) })}
${row(`migrated logins at 80% of full load (${rate}/s), paced arrivals`, 'open', paced)}
${row(`migrated logins at 80% (${rate}/s), Poisson arrivals`, 'open', poisson)}
${row(`migrated logins at 80% (${rate}/s), paced, hash queue off (hashConcurrency 1024)`, 'open', unqueued)}
${row(`the verifies alone at 80% (${rate}/s), paced: argon2 in this process, no HTTP, no generator, queue of ${slots}`, '—', rawAt80)}

Raw argon2id verify throughput (no HTTP, in the rounds between the served ones): ${f1(rawPool)}/s with ${RAW_IN_FLIGHT} in flight, ${f1(rawQueue)}/s with ${slots} in flight (the server's hash queue). Served / the better raw: **${(ratio * 100).toFixed(1)}%** (target ≥ 85%): ${ratio >= 0.85 ? 'met' : '**not met**'}. p99 at 80% load, paced arrivals: ${f0(paced.p99)} ms = **${x(paced.p99)}** one verify (target < 2×): ${paced.p99 < 2 * hashMs ? 'met' : '**not met**'}; with Poisson arrivals: ${f0(poisson.p99)} ms = ${x(poisson.p99)}. The verifies alone, paced at the same rate in the same interleaved slices with no HTTP and no generator: p99 ${f1(rawAt80.p99)} ms = **${x(rawAt80.p99)}** — the least any server on this machine could show at this load${rawAt80.p99 >= 2 * hashMs ? ', so in this run the target was out of reach for any server here' : ''}. The machine's CPUs (all processes, from /proc/stat) were busy ${busy(paced)} of the time during the paced served slices and ${busy(rawAt80)} during the verifies alone (Poisson ${busy(poisson)}, queue off ${busy(unqueued)}). Queueing alone bounds what Poisson arrivals can reach: an ideal 2-server FIFO queue with a fixed service time of one verify has p99 = ${ideal.toFixed(1)}× that service time at 80% utilisation (simulated in run.js), so < 2× is out of reach there by arithmetic; with paced arrivals an ideal queue never waits (p99 = 1×), but the cores are still 80% busy: ${slots} verifies at once take ${f1((1000 * slots) / rawQueue)} ms each (raw throughput at the queue's width) instead of ${f1(hashMs)} ms alone, the server's HTTP thread and the load generator need the same 2 cores between verifies, and any burst of other processes' work makes the 80% rate briefly exceed what is left, so a queue forms. p99 of each ${f0(AT80_SECONDS / AT80_SLICES)} s slice, in the order run (ms): paced ${paced.sliceP99.map(f0).join(' / ')}; Poisson ${poisson.sliceP99.map(f0).join(' / ')}; queue off ${unqueued.sliceP99.map(f0).join(' / ')}; verifies alone ${rawAt80.sliceP99.map(f0).join(' / ')} — a slice far above the others is a burst of other processes' work. Main thread of the server (HTTP, JWT, schema, SQLite read, metrics) during the paced run: ${mainMsPerLogin.toFixed(2)} ms of ${mainHow} per login. Non-2xx answers: ${first.non2xx + full.non2xx + paced.non2xx + poisson.non2xx + unqueued.non2xx}; errors/timeouts: ${first.errors + full.errors + paced.errors + poisson.errors + unqueued.errors}/${first.timeouts + full.timeouts}.`;
    console.log(body);
    if (WRITE) writeSection('serve', body);
  } finally {
    if (server !== undefined) await stopServer(server.child);
    if (unqueuedServer !== undefined) await stopServer(unqueuedServer.child);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
