#!/usr/bin/env node
// The one entry point behind the README's commands. A fresh machine has Node and npm but no pnpm:
// this brings the pinned pnpm (into .linli/tools), installs the workspace from the lockfile, generates
// the Prisma clients, then runs what was asked. Plain JavaScript with no dependencies, on purpose.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const home = process.env.LINLI_HOME ?? join(root, '.linli');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = pkg.packageManager.split('@')[1];
const say = (msg) => process.stderr.write(`[linli] ${msg}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (r.error) throw r.error;
  return r.status ?? 1;
}
// `pnpm bench --json` promises one JSON object on stdout: the set-up steps' output goes to stderr then.
const setupStdio = process.argv[2] === 'bench' ? ['inherit', 2, 2] : 'inherit';
function must(cmd, args, what, opts) {
  const code = run(cmd, args, { stdio: setupStdio, ...opts });
  if (code !== 0) {
    say(`${what} failed (exit ${code}).`);
    process.exit(code);
  }
}

function findPnpm() {
  const local = join(home, 'tools', 'node_modules', '.bin', 'pnpm');
  if (existsSync(local)) return local;
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return 'pnpm';
  say(`bringing pnpm ${pnpmVersion} into ${join(home, 'tools')} (once) ...`);
  mkdirSync(join(home, 'tools'), { recursive: true });
  must('npm', ['install', '--prefix', join(home, 'tools'), '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${pnpmVersion}`], 'installing pnpm');
  return local;
}

function newestMtime(paths) {
  let newest = 0;
  for (const p of paths) if (existsSync(p)) newest = Math.max(newest, statSync(p).mtimeMs);
  return newest;
}

function ensureInstalled(pnpm) {
  const marker = join(root, 'node_modules', '.linli-installed');
  const inputs = [join(root, 'pnpm-lock.yaml'), join(root, 'pnpm-workspace.yaml')];
  if (existsSync(marker) && statSync(marker).mtimeMs >= newestMtime(inputs)) return;
  say('installing dependencies from the lockfile ...');
  const frozen = process.env.CI ? ['--frozen-lockfile'] : ['--frozen-lockfile', '--prefer-offline'];
  must(pnpm, ['install', ...frozen], 'pnpm install');
  writeFileSync(marker, new Date().toISOString());
}

/** Prisma clients are generated, never committed: regenerate when a schema is newer than its output. */
function ensurePrismaClients(pnpm) {
  const servicesDir = join(root, 'services');
  if (!existsSync(servicesDir)) return;
  for (const name of readdirSync(servicesDir)) {
    const dir = join(servicesDir, name);
    const schema = join(dir, 'prisma', 'schema.prisma');
    if (!existsSync(schema)) continue;
    const out = join(dir, 'src', 'data-access', 'generated', 'prisma', 'client.ts');
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(schema).mtimeMs) continue;
    say(`generating the Prisma client for ${name} ...`);
    // Prisma 7 needs no native engine with the pg driver adapter; it only wants the variable to name a file.
    must(pnpm, ['--filter', '@linli/db', 'exec', 'prisma', 'generate', '--schema', schema], `prisma generate (${name})`, {
      env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    });
  }
}

/** The operations console (React, built with Vite) is served by the operations service: build it when stale. */
function ensureConsoleBuilt(pnpm) {
  const web = join(root, 'services', 'operations', 'web');
  if (!existsSync(join(web, 'index.html'))) return;
  const built = join(web, 'dist', 'index.html');
  const newestSource = (dir) => {
    let newest = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'dist' || entry.name === 'node_modules') continue;
      const p = join(dir, entry.name);
      newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
    }
    return newest;
  };
  if (existsSync(built) && statSync(built).mtimeMs >= newestSource(web)) return;
  say('building the operations console ...');
  must(pnpm, ['--filter', '@linli/operations', 'run', 'build:console'], 'console build');
}

const [command = 'help', ...args] = process.argv.slice(2);
const pnpm = findPnpm();
ensureInstalled(pnpm);
ensurePrismaClients(pnpm);
ensureConsoleBuilt(pnpm);

const exec = (bin, binArgs, opts) => process.exit(run(pnpm, ['exec', bin, ...binArgs], opts));
switch (command) {
  case 'dev':
    exec('tsx', ['scripts/dev.ts', ...args]);
    break;
  case 'test':
    if (args.length) exec('jest', args); // a chosen subset: no type-check, no fault phase
    say('type-checking ...');
    must(pnpm, ['exec', 'tsc', '-p', 'tsconfig.json'], 'type-check');
    say('tests (parallel) ...');
    must(pnpm, ['exec', 'jest'], 'tests');
    say('fault tests (restarting real components, one at a time) ...');
    exec('jest', [], { env: { ...process.env, LINLI_TEST_PHASE: 'faults' } });
    break;
  case 'bench':
    // Not part of `test`: minutes of load on the real infrastructure (bench/src/run.ts brings it up).
    exec('tsx', ['bench/src/run.ts', ...args]);
    break;
  case 'typecheck':
    exec('tsc', ['-p', 'tsconfig.json', ...args]);
    break;
  case 'infra':
    exec('tsx', ['infra/src/cli.ts', ...args]);
    break;
  case 'ops':
    exec('tsx', ['services/operations/src/cli/ops.ts', ...args]);
    break;
  case 'db:migration':
    exec('tsx', ['packages/db/src/cli/new-migration.ts', ...args]);
    break;
  case 'fuzz':
    // Not part of `test` (which runs a quick pass of the same file): minutes of generated requests.
    exec('tsx', ['scripts/fuzz.ts', ...args]);
    break;
  case 'permissions:doc':
    exec('tsx', ['scripts/permissions-doc.ts', ...args]);
    break;
  default:
    say(`unknown command '${command}'. Use: dev | test | bench | infra | ops | typecheck | db:migration | permissions:doc | fuzz`);
    process.exit(2);
}
