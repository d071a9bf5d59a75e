#!/usr/bin/env node
// Starts the test kit's fake Gigya site with a few accounts, and writes ./identitysync/
// (what an IdentitySync dataflow with file.format.json + file.compress.gzip leaves on
// SFTP), for trying examples/gigya/ferry.yaml without a Gigya site. Build the repository
// first (node_modules/.bin/tsc -b tsconfig.build.json). Ctrl-C stops it.
const { mkdirSync } = require('node:fs');
const { join } = require('node:path');
const { startFakeGigya, writeIdentitySyncFile } = require('../../packages/testkit/dist');

const accounts = [
  { email: 'ada@example.com', password: 'Analytical-1843', firstName: 'Ada', lastName: 'Lovelace', data: { plan: 'pro', newsletter: true } },
  { email: 'grace@example.com', password: 'Cobol-1959!', firstName: 'Grace', lastName: 'Hopper', loginState: 'pendingTfa' },
  { email: 'alan@example.com', password: 'Enigma-1939', firstName: 'Alan', lastName: 'Turing', emailVerified: false, loginState: 'pendingVerification' },
  { email: 'old@example.com', password: 'Gone-2001', isActive: false },
  // Gigya's published pbkdf2 example: the password is Test@123.
  { email: 'published@example.com', passwordHash: { hash: 'XMGVWTbeKf4Xd+CGiuEZde8x7QA=', hashSettings: { algorithm: 'pbkdf2', rounds: 10000, salt: 'wJuJqLoUFsdXa8k3sFhRlA==' } } },
];

async function main() {
  const dir = join(__dirname, 'identitysync');
  mkdirSync(dir, { recursive: true });
  await writeIdentitySyncFile(join(dir, 'accounts-0001.json.gz'), { layout: 'array', accounts, gzip: true });
  const fake = await startFakeGigya({ accounts });
  console.log(`export GIGYA_BASE_URL='${fake.baseUrl}'`);
  console.log(`export GIGYA_API_KEY=${fake.apiKey}`);
  console.log(`export GIGYA_USER_KEY=${fake.userKey}`);
  console.log(`export GIGYA_SECRET=${fake.secret}`);
  for (const a of accounts) console.log(`#  ${a.email}  ${a.password ? `password: ${a.password}` : 'password: Test@123 (hash only)'}${a.loginState ? `  (${a.loginState})` : ''}${a.isActive === false ? '  (inactive)' : ''}`);
  process.on('SIGINT', () => void fake.close().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
