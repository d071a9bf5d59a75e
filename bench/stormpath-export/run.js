#!/usr/bin/env node
/**
 * Bulk export from a 50,000-account Stormpath support export (with password hashes):
 * users/s and peak RSS, to show memory stays flat while the directory is streamed.
 * Needs built packages: `npx tsc -b packages/connector-stormpath packages/testkit`.
 * Usage: node bench/stormpath-export/run.js [count]
 */
'use strict';
const { mkdtemp, rm } = require('node:fs/promises');
const os = require('node:os');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..', '..');
const { writeStormpathExport } = require(join(root, 'packages/testkit/dist'));
const { createStormpathConnector } = require(join(root, 'packages/connector-stormpath/dist'));
const { createLogger, DefaultHttpClientFactory, PasswordHashingService } = require(join(root, 'packages/core/dist'));

async function main() {
  const count = Number(process.argv[2] ?? 50000);
  const dir = await mkdtemp(join(os.tmpdir(), 'ferry-stormpath-bench-'));
  try {
    const t0 = Date.now();
    const written = await writeStormpathExport(dir, { layout: 'support', count, passwordFormats: ['bcrypt', 'stormpath2-sha256', 'stormpath2-sha512-iterated', 'stormpath1', 'none', 'unknown'] });
    const genSeconds = (Date.now() - t0) / 1000;
    if (global.gc) global.gc();
    const logger = createLogger({ level: 'warn' });
    const connector = createStormpathConnector({ exportDir: dir, appMetadataKeys: [] }, { logger, hashing: new PasswordHashingService(), baseDir: dir, http: new DefaultHttpClientFactory(logger) });
    const rssStart = process.memoryUsage().rss;
    let peak = rssStart;
    const samples = [];
    let records = 0;
    let rejects = 0;
    let pages = 0;
    const start = process.hrtime.bigint();
    for await (const page of connector.exportUsers({})) {
      records += page.records.length;
      rejects += page.rejects?.length ?? 0;
      pages += 1;
      const rss = process.memoryUsage().rss;
      peak = Math.max(peak, rss);
      if (pages % 20 === 0) samples.push(Math.round(rss / 1048576));
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = os.cpus()[0];
    const result = {
      accounts: count,
      records,
      rejects,
      pages,
      seconds: Number(seconds.toFixed(2)),
      usersPerSecond: Math.round((records + rejects) / seconds),
      rssStartMiB: Math.round(rssStart / 1048576),
      peakRssMiB: Math.round(peak / 1048576),
      rssEvery20PagesMiB: samples,
      generateSeconds: genSeconds,
      byFormat: written.byFormat,
      machine: `${cpu ? cpu.model : 'unknown cpu'} x${os.cpus().length}, ${Math.round(os.totalmem() / 1073741824)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`,
      disk: (() => { try { return execFileSync('df', ['-h', os.tmpdir()]).toString().split('\n')[1]; } catch { return 'unknown'; } })(),
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
