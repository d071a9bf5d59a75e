#!/usr/bin/env node
// Writes ./legacy.db with N generated users (default 1000) and prints a few logins.
// Run `pnpm build` at the repository root first.
const { join } = require('node:path');
const { legacyUserAt, writeLegacyDatabase } = require('../../packages/testkit/dist');

async function main() {
  const count = Number(process.argv[2] ?? 1000);
  const options = { count, seed: 'example' };
  const result = await writeLegacyDatabase(`sqlite:${join(__dirname, 'legacy.db')}`, options);
  console.log(`wrote ${result.count} users to legacy.db in ${result.elapsedMs} ms (broken rows: ${JSON.stringify(result.defects)})`);
  for (const i of [0, 1, 2]) {
    const u = await legacyUserAt(options, i);
    console.log(`  ${u.email}  password: ${u.password}  (${u.hashFormat})`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
