#!/usr/bin/env node
// Runs the benchmarks under bench/ (each bench/<name>/run.js), after `pnpm build`.
// Usage: node bench/run.js [name …]   e.g. node bench/run.js login hashes
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const wanted = process.argv.slice(2);
const names = readdirSync(__dirname, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(__dirname, d.name, 'run.js')))
  .map((d) => d.name)
  .filter((n) => wanted.length === 0 || wanted.includes(n));
if (names.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${readdirSync(__dirname).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of names) {
  console.log(`\n== bench/${name}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(__dirname, name, 'run.js')], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
