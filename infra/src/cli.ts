/**
 * `pnpm infra up | down | status | logs | reset` — see infra/README.md. Thin: parses arguments, calls
 * the lifecycle API and turns failures into short `[component] ...` lines and an exit code.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { InfraError, InfraUpError } from './errors';
import { describeFailures, down, formatBytes, reset, resetTargets, status, up, type ComponentStatus } from './lifecycle';
import { formatSeconds, tailFile } from './process';
import { COMPONENTS, infraSettings, type ComponentName, type InfraSettings } from './settings';
import { createTopics } from './components/kafka.component';
import { ensureNamespace, ensureSearchAttributes } from './components/temporal.component';

const USAGE = `usage: pnpm infra <command>
  up [component...]       install what is missing, start, wait until healthy (idempotent)
  down [component...]     stop gracefully; data is kept
  status [--json]         health of each component (exit 0 only when all are healthy)
  logs [component] [-f] [-n N]   tail the log files (-f follows)
  reset [--yes]           stop everything and delete data, logs and pid files (keeps binaries and jars)
  provision               on components started elsewhere (docker compose): create the declared topics,
                          namespace and search attributes (KAFKA_BROKERS, TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE)
components: ${COMPONENTS.join(', ')}
environment: LINLI_HOME, PG_PORT, KAFKA_PORT, KAFKA_CONTROLLER_PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT,
             TEMPORAL_NAMESPACE, KAFKA_TOPIC_PREFIX, PG_BIN`;

const say = (line: string) => process.stdout.write(`${line}\n`);

function componentArgs(args: string[]): ComponentName[] {
  const names = args.filter((a) => !a.startsWith('-'));
  for (const n of names) if (!COMPONENTS.includes(n as ComponentName)) throw new UsageError(`unknown component '${n}' (expected ${COMPONENTS.join(', ')})`);
  return names as ComponentName[];
}

class UsageError extends Error {}

async function cmdUp(args: string[]): Promise<number> {
  const s = infraSettings();
  const started = Date.now();
  say(`LINLI_HOME=${s.home}`);
  const only = componentArgs(args);
  const endpoints = await up({ only, log: say });
  const lines: Record<ComponentName, string> = {
    postgres: endpoints.postgres.adminUrl,
    kafka: endpoints.kafka.brokers.join(','),
    temporal: `${endpoints.temporal.address} (namespace ${endpoints.temporal.namespace}, UI ${endpoints.temporal.uiUrl})`,
  };
  say(`ready (${formatSeconds(Date.now() - started)}):`);
  for (const name of only.length ? only : COMPONENTS) say(`  ${name.padEnd(9)} ${lines[name]}`);
  return 0;
}

async function cmdDown(args: string[]): Promise<number> {
  await down({ only: componentArgs(args), log: say });
  say(`data kept in ${infraSettings().paths.data} (pnpm infra reset deletes it)`);
  return 0;
}

function stateText(st: ComponentStatus): string {
  if (st.state === 'unhealthy') return `unhealthy: ${st.cause ?? 'no answer'}`;
  if (st.state === 'not running' && st.cause) return `not running (${st.cause})`;
  return st.state;
}

async function cmdStatus(args: string[]): Promise<number> {
  const rows = await status();
  if (args.includes('--json')) {
    say(JSON.stringify(rows, null, 2));
  } else {
    const table = [['COMPONENT', 'STATE', 'PID', 'ENDPOINT', 'DATA', 'LOG'], ...rows.map((r) => [r.component, stateText(r), r.pid ? String(r.pid) : '-', r.endpoint, r.dataDir, r.logFile])];
    const widths = table[0]!.map((_, col) => Math.max(...table.map((row) => row[col]!.length)));
    for (const row of table) say(row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd());
  }
  return rows.every((r) => r.state === 'healthy') ? 0 : 1;
}

function logFilesOf(s: InfraSettings, which: ComponentName[]): string[] {
  const names = which.length ? which : [...COMPONENTS];
  const files = names.map((n) => s.paths.logFiles[n]);
  // Install logs matter when a build or download failed; show them when asked for everything.
  if (!which.length) files.push(s.paths.installLogs.temporal, s.paths.installLogs.kafka);
  return files.filter((f) => existsSync(f));
}

async function cmdLogs(args: string[]): Promise<number> {
  const s = infraSettings();
  const nIndex = args.indexOf('-n');
  const lines = nIndex >= 0 ? Number(args[nIndex + 1]) : 50;
  if (!Number.isInteger(lines) || lines < 0) throw new UsageError('-n needs a number of lines');
  const rest = args.filter((a, i) => a !== '-f' && a !== '--follow' && !(nIndex >= 0 && (i === nIndex || i === nIndex + 1)));
  const files = logFilesOf(s, componentArgs(rest));
  if (files.length === 0) {
    say(`no log files yet in ${s.paths.logs} (run pnpm infra up first)`);
    return 1;
  }
  if (args.includes('-f') || args.includes('--follow')) {
    // tail -F follows across the rotation we do at start-up; coreutils is on every Linux machine.
    const child = spawn('tail', ['-n', String(lines), '-F', ...files], { stdio: 'inherit' });
    return new Promise((done) => child.on('close', (code) => done(code ?? 0)));
  }
  for (const file of files) {
    say(`==> ${file} <==`);
    const text = tailFile(file, lines);
    if (text) say(text);
  }
  return 0;
}

async function cmdReset(args: string[]): Promise<number> {
  const s = infraSettings();
  const targets = resetTargets();
  if (targets.length === 0) {
    say(`nothing to delete in ${s.home}`);
    return 0;
  }
  say('reset stops postgres, kafka and temporal and deletes:');
  for (const t of targets) say(`  ${t.path}  (${formatBytes(t.bytes)})`);
  say(`kept: ${s.paths.bin} (Temporal CLI) and ${s.paths.kafkaLibs} (Kafka jars), so the next up is quick`);
  if (!args.includes('--yes') && !args.includes('-y')) {
    if (!process.stdin.isTTY) {
      say('not a terminal, so nothing was deleted: re-run with --yes to confirm');
      return 1;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = (await rl.question('type "yes" to delete: ')).trim().toLowerCase();
    rl.close();
    if (answer !== 'yes') {
      say('cancelled; nothing was deleted');
      return 1;
    }
  }
  const deleted = await reset({ log: say });
  for (const t of deleted) say(`deleted ${t.path}`);
  return 0;
}

/**
 * For components we did not start (docker compose, a managed cluster): declare what Linli needs on them,
 * from the same lists `up` uses. Idempotent.
 */
async function cmdProvision(): Promise<number> {
  const base = infraSettings();
  const brokers = (process.env.KAFKA_BROKERS ?? base.kafka.brokers.join(',')).split(',').map((b) => b.trim()).filter(Boolean);
  const s: InfraSettings = {
    ...base,
    kafka: { ...base.kafka, brokers },
    temporal: { ...base.temporal, address: process.env.TEMPORAL_ADDRESS ?? base.temporal.address },
  };
  const created = await createTopics(brokers, process.env.KAFKA_TOPIC_PREFIX ?? '');
  say(`[kafka] topics on ${brokers.join(',')}: ${created.length ? `created ${created.join(', ')}` : 'all present'}`);
  if (await ensureNamespace(s)) say(`[temporal] registered namespace ${s.temporal.namespace}`);
  const added = await ensureSearchAttributes(s);
  say(`[temporal] search attributes on ${s.temporal.address}/${s.temporal.namespace}: ${added.length ? `added ${added.join(', ')}` : 'all present'}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up':
      return cmdUp(args);
    case 'down':
      return cmdDown(args);
    case 'status':
      return cmdStatus(args);
    case 'logs':
      return cmdLogs(args);
    case 'reset':
      return cmdReset(args);
    case 'provision':
      return cmdProvision();
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      say(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof InfraUpError) {
      process.stderr.write(`${err.message}\n`);
      if (err.running.length) process.stderr.write(`left running: ${err.running.join(', ')} (\`pnpm infra down\` stops them)\n`);
    } else if (err instanceof InfraError) {
      process.stderr.write(`${describeFailures([err])}\n`);
    } else if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      process.exit(2);
    } else {
      // Settings errors (bad port values) are plain Errors with a readable message; no stack needed.
      process.stderr.write(`[infra] ${err instanceof Error ? err.message : String(err)}\n`);
    }
    process.exit(1);
  },
);
