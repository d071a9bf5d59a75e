#!/usr/bin/env node
// Full-size Okta rate-limit run: 2,000 logins against a fake Okta allowing 600 authn
// calls per minute (about three minutes). Runs the connector's rate-limit test with
// OKTA_RATE_LIMIT_FULL=1 and writes the `## okta-login-rate` section of bench/RESULTS.md.
//   node bench/okta-export/login-rate.js [--no-write]
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const machine = require('../machine');
const writeSection = require('../results');

const root = path.resolve(__dirname, '../..');
const jest = require.resolve('jest/bin/jest', { paths: [root] });
const run = spawnSync(process.execPath, [jest, 'packages/connector-okta/test/rate-limit'], {
  cwd: root,
  env: { ...process.env, OKTA_RATE_LIMIT_FULL: '1' },
  encoding: 'utf8',
});
const output = `${run.stdout}${run.stderr}`;
const line = /\{"logins":\d+[^\n]*\}/.exec(output);
if (run.status !== 0 || line === null) {
  process.stderr.write(output);
  process.exit(1);
}
const r = JSON.parse(line[0]);
const section = [
  `${r.logins.toLocaleString('en-US')} logins (authn + Users API read each, 8 at a time) against the fake Okta org allowing 600 authn calls per minute. Command: \`node bench/okta-export/login-rate.js\` (the default test suite runs the same test scaled down: 200 logins at 60 per 10 s).`,
  '',
  '| logins | seconds | least time the limit allows (s) | ratio | 429s served (retried) | failed logins |',
  '|---:|---:|---:|---:|---:|---:|',
  `| ${r.logins} | ${(r.elapsedMs / 1000).toFixed(1)} | ${(r.minimumMs / 1000).toFixed(1)} | ${r.ratio} | ${r.served429} | ${r.failures} |`,
  '',
  `Target: no failures, within 10% of the minimum. Machine: ${machine()}; ${new Date().toISOString().slice(0, 10)}.`,
].join('\n');
console.log(section);
if (!process.argv.includes('--no-write')) writeSection('okta-login-rate', section);
