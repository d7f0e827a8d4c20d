// `pnpm fuzz`: the deep Schemathesis run over every service (test/fuzz/fuzz.test.ts), installing
// Schemathesis into .linli/tools/schemathesis on first use. Options: --examples N (default 25),
// --phases a,b (default examples,coverage,fuzzing), --as admin,reviewer, --services communities,....
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureSchemathesis } from '../test/fuzz/schemathesis';

const root = path.join(__dirname, '..');
const option = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
};

const tool = ensureSchemathesis((line) => process.stderr.write(`[fuzz] ${line}\n`));
if (!tool.ok) {
  process.stderr.write(`[fuzz] cannot run: ${tool.why}\n`);
  process.exit(2);
}
const env = {
  ...process.env,
  LINLI_FUZZ_EXAMPLES: option('examples', '25'),
  LINLI_FUZZ_PHASES: option('phases', 'examples,coverage,fuzzing'),
  LINLI_FUZZ_AS: option('as', 'admin,reviewer'),
  LINLI_FUZZ_SERVICES: option('services', ''),
};
process.stderr.write(`[fuzz] ${env.LINLI_FUZZ_EXAMPLES} examples per operation, phases ${env.LINLI_FUZZ_PHASES}, as ${env.LINLI_FUZZ_AS}\n`);
const run = spawnSync('jest', ['--runInBand', 'test/fuzz/fuzz.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.stderr.write(`[fuzz] figures: test-artifacts/fuzz/summary.json\n`);
process.exit(run.status ?? 1);
