import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Schemathesis (PyPI) in a virtual environment of its own under .linli/tools, installed on first use at a
 * pinned version, and one run of it against a service's OpenAPI document, reduced to the figures we keep:
 * operations tested, requests sent, and every 5xx with the request that caused it.
 */

export const SCHEMATHESIS_VERSION = '4.32.5';
const root = path.join(__dirname, '..', '..');
const venv = path.join(process.env.LINLI_HOME ?? path.join(root, '.linli'), 'tools', 'schemathesis');
const st = path.join(venv, 'bin', 'st');

export type Tool = { ok: true; st: string } | { ok: false; why: string };

function python(): string | undefined {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0 && /Python 3\.(9|1\d)/.test(`${probe.stdout}${probe.stderr}`)) return candidate;
  }
  return undefined;
}

/** The `st` executable, installing it (python3 -m venv, pip install schemathesis==pinned) when missing. */
export function ensureSchemathesis(log: (line: string) => void = () => {}): Tool {
  const installed = existsSync(st) && spawnSync(st, ['--version'], { encoding: 'utf8' }).stdout?.includes(SCHEMATHESIS_VERSION);
  if (installed) return { ok: true, st };
  const py = python();
  if (!py) return { ok: false, why: 'python3 (3.9 or newer) is not installed: Debian `apt-get install python3 python3-venv`' };
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} into ${path.relative(root, venv)} (once) ...`);
  rmSync(venv, { recursive: true, force: true });
  mkdirSync(path.dirname(venv), { recursive: true });
  const made = spawnSync(py, ['-m', 'venv', venv], { encoding: 'utf8' });
  if (made.status !== 0) return { ok: false, why: `python3 -m venv failed (Debian needs python3-venv): ${made.stderr.trim()}` };
  const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (pip.status !== 0) throw new Error(`pip install schemathesis failed:\n${pip.stderr}`);
  return { ok: true, st };
}

export interface FuzzFigures {
  service: string;
  as: string;
  operations: number;
  requests: number;
  serverErrors: number;
  /** One line per distinct 5xx: the operation and the status. */
  failures: string[];
  seconds: number;
}

interface NdjsonEvent {
  [kind: string]: unknown;
}

/**
 * Runs `st run` against `${url}/openapi.json` with the given bearer token, checking only for 5xx answers,
 * and reads its NDJSON event log for the figures. Asynchronous on purpose: the service under test may live
 * in this very process, and a blocked event loop would answer nothing.
 */
export async function runSchemathesis(opts: {
  st: string;
  service: string;
  as: string;
  url: string;
  token: string;
  maxExamples: number;
  /** Schemathesis phases, comma-separated: `fuzzing` (random valid and invalid input) is the quick pass. */
  phases: string;
  reportDir: string;
  seed?: number;
}): Promise<FuzzFigures> {
  mkdirSync(opts.reportDir, { recursive: true });
  const events = path.join(opts.reportDir, `${opts.service}-${opts.as}.ndjson`);
  rmSync(events, { force: true });
  const started = Date.now();
  const args = [
    'run',
    `${opts.url}/openapi.json`,
    '--url', opts.url,
    '--checks', 'not_a_server_error',
    '--max-examples', String(opts.maxExamples),
    '--phases', opts.phases,
    '--seed', String(opts.seed ?? 20261128),
    '--workers', '4',
    '--request-timeout', '20',
    '--no-shrink',
    '--continue-on-failure',
    '--generation-database', 'none',
    '--header', `Authorization: Bearer ${opts.token}`,
    '--report', 'ndjson',
    '--report-ndjson-path', events,
    '--no-color',
    '--warnings', 'off',
  ];
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    // Run from the report folder: Schemathesis keeps a cache (.schemathesis/) in its working directory.
    const child = spawn(opts.st, args, { cwd: opts.reportDir, env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (!existsSync(events)) throw new Error(`schemathesis wrote no report (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  return { service: opts.service, as: opts.as, seconds, ...figuresOf(readFileSync(events, 'utf8'), run.stdout) };
}

/** Counts from the NDJSON events: each ScenarioFinished carries the recorded requests of one operation. */
export function figuresOf(ndjson: string, stdout: string): Omit<FuzzFigures, 'service' | 'as' | 'seconds'> {
  const operations = new Set<string>();
  const failures = new Set<string>();
  let requests = 0;
  let serverErrors = 0;
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line) as NdjsonEvent;
    const finished = event.ScenarioFinished as { recorder?: { label?: string; interactions?: Record<string, { response?: { status_code?: number } | null }> } } | undefined;
    if (!finished?.recorder) continue;
    const label = finished.recorder.label ?? '?';
    operations.add(label);
    for (const interaction of Object.values(finished.recorder.interactions ?? {})) {
      requests += 1;
      const status = interaction.response?.status_code;
      if (status !== undefined && status >= 500) {
        serverErrors += 1;
        failures.add(`${label} → ${status}`);
      }
    }
  }
  // Failures the events did not attribute (a crash of the run itself) still show up in the summary text.
  if (operations.size === 0) throw new Error(`schemathesis tested no operation:\n${stdout.slice(-3000)}`);
  return { operations: operations.size, requests, serverErrors, failures: [...failures].sort() };
}
