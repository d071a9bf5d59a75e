#!/usr/bin/env node
// bench/serve/load.js: the load generator of bench/serve, in a process of its own so its CPU
// use is not mixed with the measuring process's timers. Reads one job (JSON) from argv[2],
// prints the result as one JSON line.
//  - {kind: 'closed', …}: N connections each sending its next login as soon as the last one is
//    answered (full load: what the server can serve). Timed runs use wrk when it is installed
//    (C: a fraction of autocannon's CPU, which on a 2-core machine is taken from the server),
//    else autocannon; runs of a fixed number of requests use autocannon.
//  - {kind: 'open', rate, seconds, arrivals: 'paced' | 'poisson'}: login i is sent at its
//    scheduled time whatever happened before (paced: every 1/rate s; poisson: exponential gaps
//    of mean 1/rate), on as many keep-alive connections as needed, and its latency counts from
//    that scheduled time, so a stalled server cannot hide its queue (no coordinated omission).
//    autocannon's own `overallRate` is not used for this: it lets each connection send its
//    per-second quota back to back at the start of every second, so "80%" arrives as bursts
//    at full load followed by idle time.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const http = require('node:http');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');

const job = JSON.parse(process.argv[2]);

function loginBody(i) {
  const u = i % job.users;
  return JSON.stringify({ identifier: `user${u}@bench.example`, password: `pw-${u}-secret` });
}

const percentile = (sorted, p) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]);

function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    // wrk prints its version and exits with 1.
    return err.status === 1;
  }
}

/** A timed closed-loop run with wrk: the same logins in the same order as autocannon's. */
function closedWrk() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-wrk-'));
  const script = join(dir, 'login.lua');
  writeFileSync(
    script,
    `local i = ${Number(job.start)}
local headers = { ["authorization"] = "Bearer ${job.token}", ["content-type"] = "application/json" }
request = function()
  local u = i % ${Number(job.users)}
  i = i + 1
  return wrk.format("POST", "/v1/login", headers, '{"identifier":"user' .. u .. '@bench.example","password":"pw-' .. u .. '-secret"}')
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"seconds":%.6f,"p50":%.3f,"p99":%.3f,"max":%.3f,"non2xx":%d,"errors":%d,"timeouts":%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write, e.timeout))
end
`,
  );
  try {
    const out = execFileSync('wrk', ['-t1', `-c${job.connections}`, `-d${job.seconds}s`, '--timeout', '30s', '-s', script, job.url], { encoding: 'utf8' });
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (line === undefined) throw new Error(`wrk printed no result: ${out}`);
    return { ...JSON.parse(line), generator: 'wrk' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function closed() {
  if (job.amount === undefined && job.generator !== 'autocannon' && hasWrk()) return closedWrk();
  let next = job.start;
  const r = await autocannon({
    url: job.url,
    connections: job.connections,
    ...(job.amount === undefined ? { duration: job.seconds } : { amount: job.amount }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/login',
        headers: { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: loginBody(next++) }),
      },
    ],
  });
  return { requests: r.requests.total, seconds: r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts, generator: 'autocannon' };
}

function open() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const { hostname, port } = new URL(job.url);
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  // A fixed seed keeps runs comparable: the same Poisson gaps every time.
  let seed = 0x9e3779b9;
  const random = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  const at = [];
  for (let t = 0; t < job.seconds * 1000; ) {
    at.push(t);
    t += job.arrivals === 'poisson' ? (-Math.log(1 - random()) * 1000) / job.rate : 1000 / job.rate;
  }
  const latencies = [];
  let non2xx = 0;
  let errors = 0;
  let pending = 0;
  let sent = 0;
  const t0 = performance.now() + 50;
  return new Promise((done) => {
    const finish = () => {
      if (sent < at.length || pending > 0) return;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const seconds = (performance.now() - t0) / 1000;
      // The latencies go back too, so run.js can pool interleaved slices into one distribution.
      done({ requests: latencies.length + errors, seconds, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] ?? 0, non2xx, errors, timeouts: 0, latencies: latencies.map((ms) => Math.round(ms * 10) / 10) });
    };
    const send = (i, due) => {
      pending++;
      const body = loginBody(job.start + i);
      const req = http.request({ host: hostname, port, path: '/v1/login', method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode >= 200 && res.statusCode < 300) latencies.push(performance.now() - due);
          else non2xx++;
          pending--;
          finish();
        });
      });
      req.on('error', () => {
        errors++;
        pending--;
        finish();
      });
      req.end(body);
    };
    const tick = () => {
      const now = performance.now();
      while (sent < at.length && t0 + at[sent] <= now) {
        send(sent, t0 + at[sent]);
        sent++;
      }
      if (sent < at.length) setTimeout(tick, Math.max(0, t0 + at[sent] - performance.now()));
      else finish();
    };
    setTimeout(tick, 50);
  });
}

(job.kind === 'open' ? open() : closed())
  .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
