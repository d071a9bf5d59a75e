#!/usr/bin/env node
// The `ferry` command. Commands live in dist/commands (built with `pnpm build`).
require('reflect-metadata');
const { execute } = require('@oclif/core');

execute({ dir: __dirname }).catch((err) => {
  // Errors are normally handled by FerryCommand.catch; this is the last resort.
  process.stderr.write(`ferry: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
