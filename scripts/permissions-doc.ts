// Writes docs/permissions.md from the policy table (`pnpm permissions:doc`); `--check` only says whether it is current.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { renderPermissionsDocument } from '../packages/auth/src/permissions-document';

const file = path.join(__dirname, '..', 'docs', 'permissions.md');
const wanted = renderPermissionsDocument();
const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== wanted) {
    process.stderr.write('docs/permissions.md is out of date: run `pnpm permissions:doc`\n');
    process.exit(1);
  }
  process.stdout.write('docs/permissions.md is up to date\n');
} else if (current === wanted) {
  process.stdout.write('docs/permissions.md is already up to date\n');
} else {
  writeFileSync(file, wanted);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
