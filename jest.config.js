/**
 * One Jest configuration for the whole workspace. @swc/jest compiles TypeScript in milliseconds and skips
 * type checks (`pnpm test` runs `tsc` first). The global setup brings the real infrastructure up.
 *
 * Two phases: the normal tests run in parallel; then, one at a time (LINLI_TEST_PHASE=faults), the tests
 * that take the whole machine: fault tests (`*.fault.test.ts`) restart or kill real components, and the
 * end-to-end tests (`test/e2e/`) run every service and the worker as processes. Run apart, they neither
 * disturb the other tests nor starve them of the machine's two cores.
 */
const faults = process.env.LINLI_TEST_PHASE === 'faults';
const roots = '{packages,services,workflows,infra,bench}';

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  testMatch: faults
    ? [`<rootDir>/${roots}/**/*.fault.test.ts`, '<rootDir>/test/**/*.fault.test.ts', '<rootDir>/test/e2e/**/*.test.ts']
    : [`<rootDir>/${roots}/**/*.test.ts`, '<rootDir>/test/**/*.test.ts'],
  // jose 6 ships ES modules only; compile it to CommonJS like our own code.
  transformIgnorePatterns: ['node_modules/(?!(\\.pnpm/jose@[^/]+/node_modules/)?jose/)'],
  testPathIgnorePatterns: ['/node_modules/', '/generated/', '/.linli/', ...(faults ? [] : ['\\.fault\\.test\\.ts$', '<rootDir>/test/e2e/'])],
  globalSetup: '<rootDir>/packages/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/packages/testing/src/global-teardown.ts',
  reporters: ['default', '<rootDir>/packages/testing/src/summary-reporter.js'],
  testTimeout: 120_000,
  maxWorkers: faults ? 1 : 2,
};
