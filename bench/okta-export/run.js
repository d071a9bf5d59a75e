#!/usr/bin/env node
// Okta export benchmark: 100,000 users through the fake Okta org in 200-user pages,
// once with the connector's exportUsers and once with a bare fetch loop over the same
// pages. Each side runs in its own process (so peak RSS is its own); the fake runs in a
// third. Writes the `## okta-export` section of bench/RESULTS.md.
//
//   node bench/okta-export/run.js [--users 100000] [--rounds 2] [--no-write]
require('./ts-register');
const { fork } = require('node:child_process');
const machine = require('../machine');
const writeSection = require('../results');

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const USERS = Number(arg('users', 100000));
const ROUNDS = Number(arg('rounds', 2));
const role = arg('role', 'main');

function makeUsers(n) {
  return Array.from({ length: n }, (_, i) => ({
    login: `user${i}@example.com`,
    password: `pw-${i}`,
    firstName: `First${i}`,
    lastName: `Last${i}`,
    profile: { department: i % 3 === 0 ? 'sales' : 'ops', employeeNumber: String(100000 + i) },
  }));
}

async function server() {
  const { startFakeOkta } = require('@ferry/testkit');
  const okta = await startFakeOkta({ users: makeUsers(USERS) });
  process.send({ url: okta.url, apiToken: okta.apiToken });
  process.on('disconnect', () => void okta.close().then(() => process.exit(0)));
}

async function bare(url, apiToken) {
  let next = `${url}/api/v1/users?limit=200`;
  let count = 0;
  while (next) {
    const res = await fetch(next, { headers: { authorization: `SSWS ${apiToken}`, accept: 'application/json' } });
    const users = await res.json();
    count += users.length;
    const m = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
    next = m ? m[1] : null;
  }
  return count;
}

// Setup (loading and compiling the sources, creating the connector) is not timed.
async function connectorSide(url, apiToken) {
  const { createLogger, DefaultHttpClientFactory, validateConfig } = require('@ferry/core');
  const { definition, OKTA_CONFIG_SCHEMA } = require('@ferry/connector-okta');
  const logger = createLogger({ level: 'warn' });
  const config = validateConfig(OKTA_CONFIG_SCHEMA, { orgUrl: url, apiToken, userMetadata: ['department'] }, 'okta');
  const c = await definition.create(config, { logger, hashing: {}, http: new DefaultHttpClientFactory(logger), baseDir: process.cwd() });
  return async () => {
    let count = 0;
    for await (const page of c.exportUsers({})) count += page.records.length;
    await c.close();
    return count;
  };
}

async function phase(kind, url, apiToken) {
  const run = kind === 'bare' ? () => bare(url, apiToken) : await connectorSide(url, apiToken);
  const started = process.hrtime.bigint();
  const count = await run();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.send({ kind, count, seconds, usersPerSecond: count / seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 });
}

function child(argv) {
  const proc = fork(__filename, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return { proc, message: new Promise((resolve, reject) => { proc.once('message', resolve); proc.once('exit', (code) => code && reject(new Error(`child exited ${code}`))); }) };
}

async function main() {
  const srv = child(['--role', 'server', '--users', String(USERS)]);
  const { url, apiToken } = await srv.message;
  const runs = { bare: [], connector: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['bare', 'connector']) {
      const p = child(['--role', kind, '--url', url, '--token', apiToken]);
      const result = await p.message;
      if (result.count !== USERS) throw new Error(`${kind} saw ${result.count} users, expected ${USERS}`);
      runs[kind].push(result);
      console.log(JSON.stringify(result));
    }
  }
  srv.proc.disconnect();
  const best = (kind) => runs[kind].reduce((a, b) => (b.usersPerSecond > a.usersPerSecond ? b : a));
  const b = best('bare');
  const c = best('connector');
  const ratio = c.usersPerSecond / b.usersPerSecond;
  const section = [
    `${USERS.toLocaleString('en-US')} users through the fake Okta org (\`startFakeOkta\`, own process) in 200-user pages; best of ${ROUNDS} rounds, each side in its own process. Command: \`node bench/okta-export/run.js\` (no build needed: it loads the TypeScript sources through SWC).`,
    '',
    '| side | users/s | seconds | peak RSS (MB) |',
    '|---|---:|---:|---:|',
    `| bare fetch loop | ${Math.round(b.usersPerSecond)} | ${b.seconds.toFixed(2)} | ${b.peakRssMb.toFixed(0)} |`,
    `| connector exportUsers | ${Math.round(c.usersPerSecond)} | ${c.seconds.toFixed(2)} | ${c.peakRssMb.toFixed(0)} |`,
    '',
    `Connector / bare: **${(ratio * 100).toFixed(1)}%** of the throughput (target ≥ 80%), ${(c.peakRssMb / b.peakRssMb).toFixed(2)}× the peak RSS. The connector side's RSS includes \`@ferry/core\` (ajv, pino, undici) compiled from sources; the bare loop loads nothing.`,
    '',
    `Machine: ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
  ].join('\n');
  console.log(section);
  if (!args.includes('--no-write')) writeSection('okta-export', section);
  if (ratio < 0.8) process.exitCode = 1;
}

if (role === 'server') void server();
else if (role === 'bare' || role === 'connector') void phase(role, arg('url'), arg('token'));
else main().catch((err) => { console.error(err); process.exit(1); });
