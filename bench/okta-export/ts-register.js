// Load Ferry's TypeScript sources without a build: SWC for .ts files (as jest does),
// and @ferry/* package names mapped to their sources.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '../..');
const aliases = {
  '@ferry/core': path.join(root, 'packages/core/src/index.ts'),
  '@ferry/testkit': path.join(root, 'packages/testkit/src/index.ts'),
  '@ferry/connector-okta': path.join(root, 'packages/connector-okta/src/index.ts'),
};

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return resolve.call(this, aliases[request] ?? request, ...rest);
};

require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
