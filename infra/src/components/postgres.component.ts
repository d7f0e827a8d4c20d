/**
 * PostgreSQL from the distribution's server binaries (Debian: /usr/lib/postgresql/<major>/bin), with
 * its cluster in LINLI_HOME/data/postgres. pg_ctl does the daemonizing (it detaches the postmaster
 * into its own session), so unlike Kafka and Temporal there is no spawnDetached here: the pid file is
 * the postmaster's own postmaster.pid, copied to run/postgres.pid for symmetry with the others.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { InfraError } from '../errors';
import { isProcessAlive, removeFile, runCommand, stopProcess } from '../process';
import { SERVICE_DATABASES } from '../service-databases';
import type { InfraSettings } from '../settings';
import { assertPortFree, requirePostgresBinaries, requireTool } from '../tools';
import type { Component, Log, StartedProcess } from './component';

/** Enough for five services with connection pools plus parallel test workers. */
const MAX_CONNECTIONS = 200;
/** sun_path is 108 bytes on Linux; a longer socket path makes postgres refuse to start. */
const MAX_SOCKET_PATH = 107;
const START_TIMEOUT_MS = 60_000;

const isRoot = () => process.getuid?.() === 0;

/**
 * initdb refuses to run as root (a superuser-owned cluster would be a security hole), so as root we
 * run the PostgreSQL binaries as the `postgres` account the Debian package creates. As any other
 * user we run them directly and the cluster belongs to that user.
 */
function asClusterOwner(command: string, args: string[]): [string, string[]] {
  return isRoot() ? [requireTool('postgres', 'runuser'), ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

interface PostgresAccount {
  uid: number;
  gid: number;
  groups: number[];
}

function postgresAccount(): PostgresAccount | undefined {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  if (uid.status !== 0) return undefined;
  const groups = id('-G').stdout.trim().split(/\s+/).map(Number);
  return { uid: Number(uid.stdout.trim()), gid: Number(id('-g').stdout.trim()), groups };
}

/**
 * The postgres account must be able to walk down to its data directory, log file and socket
 * directory. LINLI_HOME usually lives in a root-owned checkout (e.g. /work/main/.linli) or under
 * mkdtemp's 0700 folders; any component it cannot traverse makes initdb/pg_ctl fail with a bare
 * "Permission denied". We add only the search bit for others (o+x) where it is missing: that lets
 * the account pass through without being able to list or read anything there.
 */
function letPostgresReach(target: string, account: PostgresAccount, log: Log): void {
  const chain: string[] = [];
  for (let dir = target; ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    const st = statSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory()) continue; // files need no search bit; their own mode is set by chown
    const canTraverse =
      (st.mode & 0o001) !== 0 ||
      (st.uid === account.uid && (st.mode & 0o100) !== 0) ||
      (account.groups.includes(st.gid) && (st.mode & 0o010) !== 0);
    if (canTraverse) continue;
    chmodSync(dir, (st.mode & 0o7777) | 0o001);
    log(`made ${dir} traversable for others (chmod o+x) so the postgres user can reach its data directory`);
  }
}

/** postmaster.pid: line 1 the pid, line 4 the port (PostgreSQL's own record of the running server). */
function postmasterLines(s: InfraSettings): string[] {
  const file = join(s.paths.dataDirs.postgres, 'postmaster.pid');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
}

function postmasterPid(s: InfraSettings): number | undefined {
  const pid = Number.parseInt(postmasterLines(s)[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? pid : undefined;
}

function socketDirOption(s: InfraSettings): string {
  const socketPath = join(s.paths.postgresSocketDir, `.s.PGSQL.${s.ports.postgres}`);
  // Too long a path: TCP only. Everything here connects over TCP anyway; the socket is a convenience for psql.
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) return "-k ''";
  return `-k '${s.paths.postgresSocketDir.replace(/'/g, `'\\''`)}'`;
}

/** The -o string pg_ctl passes to postgres (through a shell, hence the quoting in socketDirOption). */
export function postgresServerOptions(s: InfraSettings): string {
  return [`-p ${s.ports.postgres}`, socketDirOption(s), '-c listen_addresses=127.0.0.1', `-c max_connections=${MAX_CONNECTIONS}`].join(' ');
}

async function withClient<T>(s: InfraSettings, database: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ host: s.postgres.host, port: s.postgres.port, user: s.postgres.user, database, connectionTimeoutMillis: 2000 });
  // An 'error' event after a failed connect would otherwise be an unhandled exception.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Creates each database of the list that does not exist yet; returns the ones created. */
export async function ensureDatabases(s: InfraSettings, names: readonly string[] = SERVICE_DATABASES): Promise<string[]> {
  return withClient(s, 'postgres', async (client) => {
    const existing = await client.query<{ datname: string }>('select datname from pg_database where datname = any($1)', [names]);
    const have = new Set(existing.rows.map((r) => r.datname));
    const created: string[] = [];
    for (const name of names) {
      if (have.has(name)) continue;
      try {
        await client.query(`create database "${name.replace(/"/g, '""')}"`);
        created.push(name);
      } catch (err) {
        // 42P04 duplicate_database: another `up` (e.g. a parallel test run) created it just now.
        if ((err as { code?: string }).code !== '42P04') throw err;
      }
    }
    return created;
  });
}

export const postgresComponent: Component = {
  name: 'postgres',
  startTimeoutMs: START_TIMEOUT_MS,
  endpoint: (s) => s.postgres.adminUrl,
  dataDir: (s) => s.paths.dataDirs.postgres,
  logFile: (s) => s.paths.logFiles.postgres,

  runningPid: (s) => postmasterPid(s),
  portKey: 'postgres',
  runningPort: (s) => Number.parseInt(postmasterLines(s)[3] ?? '', 10) || undefined,

  async preflight(s) {
    requirePostgresBinaries(s.pgBin);
    if (isRoot()) {
      requireTool('postgres', 'runuser');
      if (!postgresAccount()) {
        throw new InfraError('postgres', 'running as root but there is no `postgres` user to own the cluster — create it: useradd --system --home /var/lib/postgresql postgres');
      }
    }
    await assertPortFree('postgres', 'postgres', s.ports.postgres);
  },

  async install() {
    // Nothing to fetch: the binaries come from the OS package; initdb happens on first start.
  },

  async start(s, log): Promise<StartedProcess> {
    const { initdb, pgCtl } = requirePostgresBinaries(s.pgBin);
    const dataDir = s.paths.dataDirs.postgres;
    const logFile = s.paths.logFiles.postgres;
    for (const dir of [dataDir, s.paths.postgresSocketDir, s.paths.logs, s.paths.run]) mkdirSync(dir, { recursive: true });
    closeSync(openSync(logFile, 'a'));
    chmodSync(dataDir, 0o700); // postgres refuses a group/world-readable data directory

    if (isRoot()) {
      const account = postgresAccount();
      if (!account) throw new InfraError('postgres', 'there is no `postgres` user to own the cluster');
      // The cluster, its socket dir and its log file belong to the account that runs the server.
      for (const path of [dataDir, s.paths.postgresSocketDir, logFile]) chownSync(path, account.uid, account.gid);
      for (const path of [dataDir, s.paths.postgresSocketDir, logFile]) letPostgresReach(path, account, log);
    }

    // cwd must be a folder the postgres account may enter, or initdb warns about the caller's cwd.
    const cwd = s.paths.data;
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      log(`initialising a new cluster in ${dataDir} ...`);
      const [cmd, args] = asClusterOwner(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']);
      const result = await runCommand(cmd, args, { cwd, logFile });
      if (result.code !== 0) throw new InfraError('postgres', `initdb failed (exit ${result.code})`, logFile);
    }

    // -w: pg_ctl returns once the server accepts connections (or has failed, with the reason in the log).
    const [cmd, args] = asClusterOwner(pgCtl, ['start', '-D', dataDir, '-l', logFile, '-w', '-t', String(START_TIMEOUT_MS / 1000), '-o', postgresServerOptions(s)]);
    const result = await runCommand(cmd, args, { cwd, logFile, detached: true });
    const pid = postmasterPid(s);
    if (result.code !== 0 || pid === undefined) throw new InfraError('postgres', `pg_ctl start failed (exit ${result.code})`, logFile);
    writeFileSync(s.paths.pidFiles.postgres, `${pid}\n`);
    return { pid, stillAlive: () => postmasterPid(s) !== undefined };
  },

  async health(s) {
    await withClient(s, 'postgres', (client) => client.query('select 1'));
  },

  async ensureDeclared(s, log) {
    const created = await ensureDatabases(s);
    if (created.length) log(`created databases: ${created.join(', ')}`);
  },

  async stop(s, log) {
    const pid = postmasterPid(s);
    removeFile(s.paths.pidFiles.postgres);
    if (pid === undefined) return 'not running';
    const { pgCtl } = requirePostgresBinaries(s.pgBin);
    // -m fast: roll back open transactions and disconnect clients instead of waiting for them.
    const [cmd, args] = asClusterOwner(pgCtl, ['stop', '-D', s.paths.dataDirs.postgres, '-m', 'fast', '-w', '-t', '60']);
    const result = await runCommand(cmd, args, { cwd: s.paths.data, logFile: s.paths.logFiles.postgres });
    if (result.code === 0) return 'stopped';
    log(`pg_ctl stop failed (exit ${result.code}); sending signals instead`);
    return stopProcess(pid, 10_000);
  },
};
