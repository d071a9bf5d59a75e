#!/usr/bin/env node
// The `ferry` command. Commands live in dist/commands (built with `pnpm build`).
// Before anything uses libuv's thread pool: `ferry serve` hashes one password per core on
// it and keeps a thread free for the rest (fs, DNS, JWT signatures), so the pool needs
// cores + 1 threads; Node's default is 4. An explicit UV_THREADPOOL_SIZE wins.
if (process.env.UV_THREADPOOL_SIZE === undefined) {
  process.env.UV_THREADPOOL_SIZE = String(Math.max(4, require('node:os').availableParallelism() + 1));
}
require('reflect-metadata');
const { execute } = require('@oclif/core');

execute({ dir: __dirname }).catch((err) => {
  // Errors are normally handled by FerryCommand.catch; this is the last resort.
  process.stderr.write(`ferry: ${err && err.message ? err.message : String(err)}\n`);
  process.exitCode = 70;
});
