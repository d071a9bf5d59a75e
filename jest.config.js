// Tests run on the TypeScript sources (no build needed) through SWC.
/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@ferry/core$': '<rootDir>/packages/core/src/index.ts',
    '^@ferry/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^@ferry/testkit$': '<rootDir>/packages/testkit/src/index.ts',
    '^@ferry/connector-([a-z]+)$': '<rootDir>/packages/connector-$1/src/index.ts',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/packages/*/src/**/*.test.ts'],
  testTimeout: 30000,
};
