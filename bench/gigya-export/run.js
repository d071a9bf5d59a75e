#!/usr/bin/env node
// Gigya export benchmark: 100,000 accounts (with password hashes) through the fake
// Gigya site's accounts.search cursor API (1,000 per page), and from one 100,000-account
// IdentitySync file (a gzipped JSON array, as file.format.json + file.compress.gzip
// write it). Each side runs in its own process; the fake runs in a third. Reports users/s
// and RSS sampled every few pages, to show memory stays flat. Writes the
// `## gigya-export` section of bench/RESULTS.md.
//
//   node_modules/.bin/tsc -b tsconfig.build.json && node bench/run.js gigya-export
//   node bench/gigya-export/run.js [--users 100000] [--no-write]
'use strict';
const { fork } = require('node:child_process');
const { mkdtemp, rm, stat } = require('node:fs/promises');
const os = require('node:os');
const { join } = require('node:path');
const machine = require('../machine');
const writeSection = require('../results');

const root = join(__dirname, '..', '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const USERS = Number(arg('users', 100000));
const role = arg('role', 'main');
const testkit = () => require(join(root, 'packages/testkit/dist'));

async function server() {
  const { startFakeGigya, gigyaAccountAt } = testkit();
  const fake = await startFakeGigya();
  for (let i = 0; i < USERS; i++) fake.addAccount(gigyaAccountAt(i));
  process.send({ baseUrl: fake.baseUrl, apiKey: fake.apiKey, userKey: fake.userKey, secret: fake.secret, dataCenter: fake.dataCenter });
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
}

// Setup (loading modules, validating config) is not timed.
async function phase(kind, settings) {
  const { createLogger, DefaultHttpClientFactory, validateConfig } = require(join(root, 'packages/core/dist'));
  const { definition } = require(join(root, 'packages/connector-gigya/dist'));
  const logger = createLogger({ level: 'warn' });
  const raw = kind === 'cursor' ? { ...settings, export: { batchSize: 1000 } } : { identitySync: { files: [settings.file] } };
  const config = validateConfig(definition.configSchema, raw, 'gigya');
  const c = await definition.create(config, { logger, hashing: {}, http: new DefaultHttpClientFactory(logger), baseDir: process.cwd() });
  if (global.gc) global.gc();
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  const samples = [];
  let records = 0;
  let rejects = 0;
  let pages = 0;
  const started = process.hrtime.bigint();
  for await (const page of c.exportUsers({})) {
    records += page.records.length;
    rejects += page.rejects ? page.rejects.length : 0;
    pages++;
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    if ((records + rejects) % 10000 < (kind === 'cursor' ? 1000 : 500)) {
      // Live heap after a full collection: tells a leak from V8 growing its heap lazily.
      if (global.gc) global.gc();
      samples.push(`${Math.round(rss / 1048576)}/${Math.round(process.memoryUsage().heapUsed / 1048576)}`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await c.close?.();
  process.send({ kind, records, rejects, pages, seconds, usersPerSecond: (records + rejects) / seconds, rssStartMb: rssStart / 1048576, peakRssMb: peak / 1048576, samples });
}

function child(argv) {
  const proc = fork(__filename, argv, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--expose-gc'] });
  return {
    proc,
    message: new Promise((resolve, reject) => {
      proc.once('message', resolve);
      proc.once('exit', (code) => code && reject(new Error(`child exited ${code}`)));
    }),
  };
}

async function main() {
  const dir = await mkdtemp(join(os.tmpdir(), 'ferry-gigya-bench-'));
  try {
    const file = join(dir, 'accounts.json.gz');
    const t0 = Date.now();
    await testkit().writeIdentitySyncFile(file, { layout: 'array', count: USERS, gzip: true });
    const writeSeconds = (Date.now() - t0) / 1000;
    const size = (await stat(file)).size;

    const srv = child(['--role', 'server', '--users', String(USERS)]);
    const settings = await srv.message;
    const cursor = await child(['--role', 'cursor', '--settings', JSON.stringify(settings)]).message;
    srv.proc.disconnect();
    const files = await child(['--role', 'file', '--settings', JSON.stringify({ file })]).message;
    for (const r of [cursor, files]) {
      console.log(JSON.stringify(r));
      if (r.records + r.rejects !== USERS) throw new Error(`${r.kind} saw ${r.records + r.rejects} accounts, expected ${USERS}`);
    }
    const row = (name, r) => `| ${name} | ${Math.round(r.usersPerSecond).toLocaleString('en-US')} | ${r.seconds.toFixed(2)} | ${r.records.toLocaleString('en-US')} / ${r.rejects.toLocaleString('en-US')} | ${r.rssStartMb.toFixed(0)} | ${r.peakRssMb.toFixed(0)} | ${r.samples.join(' ')} |`;
    const section = [
      `${USERS.toLocaleString('en-US')} generated Gigya accounts with password hashes (pbkdf2, pbkdf2_sha256, salted sha1/md5, bcrypt → Auth0 \`custom_password_hash\`; sha512Hexa → reject; every 7th without password) exported by \`exportUsers\`, each source in its own process:`,
      '',
      '- **cursor**: `accounts.search` with `openCursor` through the fake Gigya site (`startFakeGigya`, own process, loopback HTTP), 1,000 accounts per page;',
      `- **IdentitySync file**: one gzipped JSON array (${(size / 1048576).toFixed(1)} MiB compressed, written in ${writeSeconds.toFixed(1)} s), stream-split, 500 accounts per page.`,
      '',
      '| source | users/s | seconds | records / rejects | RSS at start (MB) | peak RSS, sampled (MB) | every 10,000 accounts: RSS / live heap after GC (MB) |',
      '|---|---:|---:|---:|---:|---:|---|',
      row('cursor', cursor),
      row('IdentitySync file', files),
      '',
      'RSS is sampled after every page with `process.memoryUsage().rss`; every 10,000 accounts the heap is also measured after a forced GC (`--expose-gc`). A flat live heap means nothing accumulates per account; RSS creeping up while the live heap stays flat is V8 and the allocator keeping freed pages, not data held. The ten forced GCs are inside the timing. The machine is shared (2 cores, other engineers building and testing), so throughput is noisy.',
      '',
      `Command: \`node bench/run.js gigya-export\` after \`tsc -b tsconfig.build.json\`. Machine: ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
    ].join('\n');
    console.log(section);
    if (!args.includes('--no-write')) writeSection('gigya-export', section);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (role === 'server') void server();
else if (role === 'cursor' || role === 'file') void phase(role, JSON.parse(arg('settings')));
else main().catch((err) => { console.error(err); process.exit(1); });
