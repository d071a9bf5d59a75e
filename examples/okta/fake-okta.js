#!/usr/bin/env node
// Starts the test kit's fake Okta org with a few users, for trying examples/okta/ferry.yaml
// without an Okta tenant. Run `pnpm build` at the repository root first. Ctrl-C stops it.
const { startFakeOkta } = require('../../packages/testkit/dist');

const users = [
  { login: 'ada@example.com', password: 'Analytical-1843', firstName: 'Ada', lastName: 'Lovelace', profile: { department: 'research', employeeNumber: '1815' } },
  { login: 'grace@example.com', password: 'Cobol-1959!', firstName: 'Grace', lastName: 'Hopper', mfa: true, profile: { department: 'navy' } },
  { login: 'alan@example.com', password: 'Enigma-1939', firstName: 'Alan', lastName: 'Turing', status: 'PASSWORD_EXPIRED' },
  { login: 'old@example.com', password: 'Gone-2001', status: 'DEPROVISIONED' },
];

startFakeOkta({ users, lockoutAfter: 5, rateLimits: { authn: { limit: 600, windowMs: 60000 } } }).then((okta) => {
  console.log(`export OKTA_ORG_URL=${okta.url}`);
  console.log(`export OKTA_API_TOKEN=${okta.apiToken}`);
  for (const u of users) console.log(`#  ${u.login}  password: ${u.password}${u.mfa ? '  (MFA)' : ''}${u.status ? `  (${u.status})` : ''}`);
  process.on('SIGINT', () => void okta.close().then(() => process.exit(0)));
});
