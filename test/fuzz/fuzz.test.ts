import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TEST_ADMIN, tokenFor } from '@linli/testing';
import { startCommunities } from '../../services/communities/test/harness';
import { startOps } from '../../services/operations/test/ops-harness';
import { startOrganizations } from '../../services/organizations/test/harness';
import { startPayments } from '../../services/payments/test/payments-harness';
import { startSupervision } from '../../services/supervision/test/harness';
import { ensureSchemathesis, runSchemathesis, type FuzzFigures } from './schemathesis';

/**
 * Fuzzing every service from its own OpenAPI document with Schemathesis: each service started the way its
 * tests start it (in-process, its own PostgreSQL database, real Kafka and Temporal), then hit with generated
 * valid and invalid input. The bar: no 5xx at all.
 *
 * `npm test` runs the quick pass (under two minutes): Schemathesis's fuzzing phase, 3 examples per
 * operation, as an admin. `pnpm fuzz` runs the deep one (scripts/fuzz.ts): every phase (the schema's
 * examples, boundary coverage, fuzzing), 25 examples per operation, as an admin and as a sub-district
 * reviewer. Knobs: LINLI_FUZZ_EXAMPLES, LINLI_FUZZ_PHASES, LINLI_FUZZ_AS (admin,reviewer), LINLI_FUZZ_SERVICES.
 * Figures go to test-artifacts/fuzz/ (summary.json, summary.txt, one NDJSON event log per run).
 * Only a machine without python3 skips this, saying why.
 */

const reviewerOf = (subDistrictId: string): Parameters<typeof tokenFor>[0] => ({ userId: 'fuzz-reviewer', role: 'subdistrict_reviewer', scope: { kind: 'sub-district', id: subDistrictId } });
const FUZZ_SUB_DISTRICT = '5d1f0a3e-9b2c-4e7d-8f6a-1c2b3d4e5f60';
const examples = Number(process.env.LINLI_FUZZ_EXAMPLES ?? 3);
const phases = process.env.LINLI_FUZZ_PHASES ?? 'fuzzing';
const callers = ([['admin', TEST_ADMIN], ['reviewer', reviewerOf(FUZZ_SUB_DISTRICT)]] as const).filter(([as]) =>
  (process.env.LINLI_FUZZ_AS ?? 'admin').split(',').includes(as),
);
const only = process.env.LINLI_FUZZ_SERVICES ? process.env.LINLI_FUZZ_SERVICES.split(',').filter(Boolean) : undefined;
const reportDir = path.join(__dirname, '..', '..', 'test-artifacts', 'fuzz');
const tool = ensureSchemathesis((line) => process.stderr.write(`[fuzz] ${line}\n`));
if (!tool.ok) process.stderr.write(`[fuzz] skipped: ${tool.why}\n`);


type Started = { url: string; stop: () => Promise<void> };
const SERVICES: Array<[string, () => Promise<Started>]> = [
  ['communities', async () => { const h = await startCommunities('fuzz'); return { url: h.service.url, stop: () => h.stop() }; }],
  ['organizations', async () => { const h = await startOrganizations('fuzz'); return { url: h.service.url, stop: () => h.stop() }; }],
  ['payments', async () => { const h = await startPayments(); return { url: h.service.url, stop: () => h.stop() }; }],
  ['supervision', async () => { const h = await startSupervision('fuzz'); return { url: h.service.url, stop: () => h.stop() }; }],
  ['operations', async () => { const h = await startOps(); return { url: h.service.url, stop: () => h.stop() }; }],
];

const figures: FuzzFigures[] = [];
const describeIf = tool.ok ? describe : describe.skip;

describeIf(`fuzzing every service from its OpenAPI document (schemathesis ${phases}, ${examples} examples per operation)`, () => {
  afterAll(() => {
    if (figures.length === 0) return;
    mkdirSync(reportDir, { recursive: true });
    writeFileSync(path.join(reportDir, 'summary.json'), JSON.stringify({ examples, phases, at: new Date().toISOString(), runs: figures }, null, 2));
    const table = figures.map((f) => `${f.service.padEnd(14)} ${f.as.padEnd(9)} ${String(f.operations).padStart(4)} ops ${String(f.requests).padStart(6)} requests ${String(f.serverErrors).padStart(4)} 5xx ${f.seconds}s`);
    appendFileSync(path.join(reportDir, 'summary.txt'), `${new Date().toISOString()} examples=${examples} phases=${phases}\n${table.join('\n')}\n`);
    process.stderr.write(`[fuzz]\n${table.join('\n')}\n`);
  });

  it.each(SERVICES.filter(([name]) => !only || only.includes(name)))(`when %s is fuzzed (as ${callers.map(([as]) => as).join(' and as ')}), then it never answers 5xx`, async (name, start) => {
    const service = await start();
    try {
      for (const [as, principal] of callers) {
        const result = await runSchemathesis({ st: (tool as { st: string }).st, service: name, as, url: service.url, token: await tokenFor(principal), maxExamples: examples, phases, reportDir });
        figures.push(result);
        expect({ service: name, as, failures: result.failures }).toEqual({ service: name, as, failures: [] });
        expect(result.operations).toBeGreaterThan(5);
      }
    } finally {
      await service.stop();
    }
  }, 1_800_000);
});
