#!/usr/bin/env node
// bench/serve/server.js: one `ferry serve` process for bench/serve/run.js — SQLite store in a
// temp dir, an in-memory fake legacy source of BENCH_USERS users answering after
// BENCH_LEGACY_MS, JWT auth with the public key in BENCH_PUBLIC_KEY. Prints {"url", "hashConcurrency"} when ready.
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const core = require('../../packages/core/dist');
const { ContainerModule } = require(require.resolve('inversify', { paths: [join(__dirname, '../../packages/core')] }));

const USERS = Number(process.env.BENCH_USERS ?? 400);
const LEGACY_MS = Number(process.env.BENCH_LEGACY_MS ?? 50);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function mainThreadCpuMs() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of stat) in clock ticks of 10 ms.
    return { ms: (Number(fields[11]) + Number(fields[12])) * 10, how: 'CPU time' };
  } catch {
    return { ms: performance.eventLoopUtilization().active, how: 'event-loop busy time' };
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-serve-'));
  const byEmail = new Map(Array.from({ length: USERS }, (_, i) => [`user${i}@bench.example`, { user_id: `u${i}`, password: `pw-${i}-secret` }]));
  const connector = {
    id: 'bench',
    async login(identifier, password) {
      await sleep(LEGACY_MS);
      const u = byEmail.get(identifier);
      if (!u) return { ok: false, reason: 'not_found' };
      return u.password === password ? { ok: true, profile: { user_id: u.user_id, email: identifier, name: `User ${u.user_id}` } } : { ok: false, reason: 'invalid_credentials' };
    },
    async getByEmail(email) {
      await sleep(LEGACY_MS);
      const u = byEmail.get(email);
      return u ? { user_id: u.user_id, email, name: `User ${u.user_id}` } : null;
    },
  };
  const module = new ContainerModule((o) => {
    o.bind(core.ConnectorDefinition).toConstantValue({ id: 'bench', description: 'bench legacy', configSchema: { type: 'object' }, create: () => connector });
  });
  const config = { store: `sqlite:${join(dir, 'ferry.db')}`, connection: 'default', mode: 'import', connector: { id: 'bench', config: {} }, log: { level: 'warn' } };
  const runtime = await core.createRuntime({ config, baseDir: dir, modules: [module] });
  const serve = core.resolveServeConfig({
    port: 0,
    auth: { jwt: { issuer: 'https://bench.example/', audience: 'ferry-bench', algorithms: ['RS256'], publicKey: process.env.BENCH_PUBLIC_KEY } },
    // Throttles far above the load: the benchmark measures the login path, not the limiter's refusals.
    throttle: { identifier: { burst: 1e6, perMinute: 1e9 }, client: { burst: 1e6, perMinute: 1e9 } },
    // BENCH_HASH_CONCURRENCY=1024 switches the hash queue off (every verify goes straight to libuv's pool), for comparison.
    ...(process.env.BENCH_HASH_CONCURRENCY ? { hashConcurrency: Number(process.env.BENCH_HASH_CONCURRENCY) } : {}),
  });
  const handle = await core.startServe({ runtime, serve });
  process.stdout.write(`${JSON.stringify({ url: handle.url, hashConcurrency: handle.hashSlots.size })}\n`);
  const stop = async () => {
    await handle.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  };
  // run.js asks for the main thread's CPU time so far (ms) to work out its cost per login: from
  // /proc on Linux (CPU time, not counting time preempted by other processes), else the event
  // loop's busy wall time.
  process.on('message', (m) => {
    if (m === 'cpu') process.send(mainThreadCpuMs());
  });
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
