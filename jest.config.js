/** One Jest run over the whole workspace. @swc/jest compiles TypeScript in milliseconds and skips type
 * checks (`pnpm test` runs `tsc` first). The global setup brings the real infrastructure up. */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', decorators: false } }, module: { type: 'commonjs' } }],
  },
  testMatch: ['<rootDir>/{packages,services,workflows,infra}/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/generated/', '/.linli/'],
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
};
