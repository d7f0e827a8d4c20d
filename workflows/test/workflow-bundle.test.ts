/**
 * What the worker's workflow bundle holds. Temporal's TypeScript SDK evaluates the bundle's modules once
 * per cached workflow, so every library in it costs memory per open lifecycle: with zod and the
 * contracts' schemas in it a cached lifecycle took 3.4 MB (docs/benchmarks.md). The workflows import
 * plain values only (project-lifecycle.constants.ts, auth's role-names.ts); this keeps it that way.
 */
import { bundleWorkflowCode } from '@temporalio/worker';

let code = '';

beforeAll(async () => {
  ({ code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../src/workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never }));
}, 120_000);

test('the workflow bundle has no zod in it, nor a schema module of the contracts', () => {
  expect(code.length).toBeGreaterThan(100_000); // the SDK's own workflow runtime is in it
  expect(code).toContain('project-lifecycle.constants');
  const modules = [...code.matchAll(/(?:node_modules|packages)\/[^"'\s*]+?\.(?:js|cjs|mjs|ts)/g)].map((m) => m[0]);
  expect(modules.filter((m) => /\/zod\//.test(m))).toEqual([]);
  expect(modules.filter((m) => /contracts\/src\/(?!workflows\/project-lifecycle\.constants)/.test(m))).toEqual([]);
  expect(modules.filter((m) => /auth\/src\/roles\.ts/.test(m))).toEqual([]);
});
