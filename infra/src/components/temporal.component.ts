/**
 * The Temporal dev server, i.e. the full server inside the Temporal CLI (`temporal server start-dev`)
 * with SQLite persistence in LINLI_HOME. Its release downloads are unreachable here, but it is a Go
 * module, so the Go toolchain builds it from the module proxy (minutes once, seconds from the build cache).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ALL_SEARCH_ATTRIBUTES, type SearchAttributeKind } from '@linli/temporal';
import { Connection } from '@temporalio/client';
import { InfraError, MissingToolError } from '../errors';
import { formatSeconds, ourLivePid, processCommandLine, removeFile, runCommand, spawnDetached, stopProcess, waitFor } from '../process';
import { VERSIONS, type InfraSettings } from '../settings';
import { assertPortFree, INSTALL_HINTS, isExecutable, requireTool } from '../tools';
import type { Component, Log } from './component';

/** In /proc/<pid>/cmdline of our server; tells it from a recycled pid. */
const MARKER = 'start-dev';
const moduleAtVersion = () => `${VERSIONS.temporalCliModule}@${VERSIONS.temporalCli}`;

/**
 * temporal.api.enums.v1.IndexedValueType. Spelled out here because @temporalio/proto is not a direct
 * dependency; the numbers are part of Temporal's wire protocol and do not change.
 */
export const INDEXED_VALUE_TYPE: Record<SearchAttributeKind, number> = {
  Text: 1,
  Keyword: 2,
  Int: 3,
  Double: 4,
  Bool: 5,
  Datetime: 6,
  KeywordList: 7,
};

/** The binary exists and (when stamped by us) was built from the pinned version. */
export function temporalBinaryInstalled(s: InfraSettings): boolean {
  if (!isExecutable(s.paths.temporalBinary)) return false;
  // No stamp = placed by hand (e.g. copied from another checkout): trust it rather than rebuild.
  if (!existsSync(s.paths.temporalStamp)) return true;
  return readFileSync(s.paths.temporalStamp, 'utf8').trim() === moduleAtVersion();
}

/** The full `temporal server start-dev` argument list: persistent SQLite, our namespace, every declared search attribute. */
export function temporalStartDevArgs(s: InfraSettings): string[] {
  return [
    'server',
    'start-dev',
    '--db-filename',
    s.paths.temporalDb,
    '--namespace',
    s.temporal.namespace,
    '--ip',
    '127.0.0.1',
    '--port',
    String(s.ports.temporal),
    '--ui-port',
    String(s.ports.temporalUi),
    // Payloads are sealed by the services' codec; the UI shows them through the operations service's
    // codec endpoint to a signed-in operator (README: "Temporal UI: decoded payloads").
    ...(s.temporal.uiCodecEndpoint ? ['--ui-codec-endpoint', s.temporal.uiCodecEndpoint] : []),
    // WAL lets the UI and the server read while a workflow task commits.
    '--sqlite-pragma',
    'journal_mode=WAL',
    '--log-level',
    'warn',
    ...ALL_SEARCH_ATTRIBUTES.flatMap((a) => ['--search-attribute', `${a.name}=${a.kind}`]),
  ];
}

/**
 * True when `go install` failed because it could not reach the checksum database (Go prints e.g.
 * `verifying module: ...: initializing sumdb.Client: ... Get "https://sum.golang.org/tile/...": dial tcp ...`).
 * A checksum MISMATCH ("SECURITY ERROR") is a different story and must never be retried without checks.
 */
export function isChecksumDbUnreachable(goOutput: string): boolean {
  if (/SECURITY ERROR|checksum mismatch/i.test(goOutput)) return false;
  return /verifying (module|go\.mod)|sumdb|sum\.golang\.org|checksum database/i.test(goOutput);
}

/** Go >= 1.21 can fetch the newer toolchain the module asks for (go.mod says 1.25) through the proxy. */
function requireGo(): string {
  const go = requireTool('temporal', 'go');
  const version = spawnSync(go, ['env', 'GOVERSION'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  const m = /^go(\d+)\.(\d+)/.exec(version);
  if (m && Number(m[1]) === 1 && Number(m[2]) < 21) {
    throw new MissingToolError('temporal', `go is ${version}, too old to build the Temporal CLI — ${INSTALL_HINTS.go}`);
  }
  return go;
}

async function withConnection<T>(s: InfraSettings, fn: (c: Connection) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: s.temporal.address, connectTimeout: '2s' });
  try {
    return await fn(connection);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const isNotFound = (err: unknown) => (err as { code?: number }).code === GRPC_NOT_FOUND;
/** Closed workflows stay visible this long: enough to look at yesterday's runs in the UI. */
const NAMESPACE_RETENTION_SECONDS = 7 * 24 * 60 * 60;

/**
 * `--namespace` creates the namespace when the server starts, but TEMPORAL_NAMESPACE may change while
 * a server is already running; then we register it ourselves. Returns true when it registered one.
 */
export async function ensureNamespace(s: InfraSettings): Promise<boolean> {
  const namespace = s.temporal.namespace;
  return withConnection(s, async (connection) => {
    const exists = async () => {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    };
    if (await exists()) return false;
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        // The proto type says Long; protobufjs encodes a plain number the same way.
        workflowExecutionRetentionPeriod: { seconds: NAMESPACE_RETENTION_SECONDS as never },
      });
    } catch (err) {
      // The server's own --namespace registration may win the race during start-up.
      if ((err as { code?: number }).code !== GRPC_ALREADY_EXISTS) throw err;
    }
    await waitFor(async () => {
      if (!(await exists())) throw new Error(`namespace ${namespace} not visible yet`);
    }, { timeoutMs: 30_000 });
    return true;
  });
}

/**
 * Makes the namespace carry every declared search attribute. `--search-attribute` registers them on a
 * fresh database; this also covers an existing database started before an attribute was declared,
 * and catches a declared type that differs from the registered one (types cannot be changed).
 */
export async function ensureSearchAttributes(s: InfraSettings): Promise<string[]> {
  return withConnection(s, async (connection) => {
    const namespace = s.temporal.namespace;
    // The operator service reads namespaces from the server's cache, which learns about a namespace
    // registered a moment ago only at its next refresh (about 10 s): NOT_FOUND then means "not yet".
    const list = () =>
      waitFor(async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {}, {
        timeoutMs: 30_000,
        intervalMs: 1000,
        retryIf: isNotFound,
      });
    const registered = await list();
    const missing: Record<string, number> = {};
    for (const attr of ALL_SEARCH_ATTRIBUTES) {
      const have = registered[attr.name];
      if (have === undefined || have === null) missing[attr.name] = INDEXED_VALUE_TYPE[attr.kind];
      else if (Number(have) !== INDEXED_VALUE_TYPE[attr.kind]) {
        throw new InfraError('temporal', `search attribute ${attr.name} is registered with type #${Number(have)} but declared ${attr.kind}; types cannot change — rename it, or \`pnpm infra reset\``);
      }
    }
    const names = Object.keys(missing);
    if (names.length === 0) return [];
    // Proto enum type; the numbers in `missing` are its values (see INDEXED_VALUE_TYPE).
    await waitFor(() => connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing as never }), {
      timeoutMs: 30_000,
      intervalMs: 1000,
      retryIf: isNotFound,
    });
    const after = await list();
    const stillMissing = names.filter((n) => after[n] === undefined || after[n] === null);
    if (stillMissing.length) throw new InfraError('temporal', `could not register search attributes: ${stillMissing.join(', ')}`);
    return names;
  });
}

export const temporalComponent: Component = {
  name: 'temporal',
  startTimeoutMs: 120_000,
  endpoint: (s) => `${s.temporal.address} (namespace ${s.temporal.namespace}, UI ${s.temporal.uiUrl})`,
  dataDir: (s) => s.paths.dataDirs.temporal,
  logFile: (s) => s.paths.logFiles.temporal,

  runningPid: (s) => ourLivePid(s.paths.pidFiles.temporal, MARKER),
  portKey: 'temporal',
  runningPort: (s) => {
    const pid = ourLivePid(s.paths.pidFiles.temporal, MARKER);
    const m = pid === undefined ? null : / --port (\d+)/.exec(processCommandLine(pid));
    return m ? Number(m[1]) : undefined;
  },

  async preflight(s) {
    if (!temporalBinaryInstalled(s)) requireGo();
    await assertPortFree('temporal', 'temporal', s.ports.temporal);
    await assertPortFree('temporal', 'temporalUi', s.ports.temporalUi);
  },

  async install(s, log) {
    if (temporalBinaryInstalled(s)) return;
    const go = requireGo();
    const logFile = s.paths.installLogs.temporal;
    const started = Date.now();
    log(`building the Temporal CLI from its Go module ${moduleAtVersion()} (first time, ~3 min; seconds with a warm Go build cache) ...`);
    const ticker = setInterval(() => log(`still building the Temporal CLI (${formatSeconds(Date.now() - started)}) ...`), 30_000);
    try {
      mkdirSync(s.paths.bin, { recursive: true });
      // CGO off: its SQLite driver is pure Go, and a static binary needs no C compiler here.
      const env = { ...process.env, CGO_ENABLED: '0', GOBIN: s.paths.bin };
      const args = ['install', moduleAtVersion()];
      let result = await runCommand(go, args, { cwd: s.home, env, logFile });
      if (result.code !== 0 && isChecksumDbUnreachable(result.output)) {
        // The module proxy is reachable but the checksum database is not: the hashes are then
        // only checked against the proxy's go.sum data, not the public transparency log.
        log('the Go checksum database (sum.golang.org) is unreachable; retrying with GOSUMDB=off (module hashes not verified against it)');
        result = await runCommand(go, args, { cwd: s.home, env: { ...env, GOSUMDB: 'off' }, logFile });
      }
      if (result.code !== 0 || !isExecutable(s.paths.temporalBinary)) {
        throw new InfraError('temporal', `go install ${moduleAtVersion()} failed (exit ${result.code})`, logFile);
      }
    } finally {
      clearInterval(ticker);
    }
    writeFileSync(s.paths.temporalStamp, `${moduleAtVersion()}\n`);
    log(`built ${s.paths.temporalBinary} (${formatSeconds(Date.now() - started)})`);
  },

  async start(s) {
    mkdirSync(s.paths.dataDirs.temporal, { recursive: true });
    const pid = spawnDetached({
      command: s.paths.temporalBinary,
      args: temporalStartDevArgs(s),
      cwd: s.paths.dataDirs.temporal,
      logFile: s.paths.logFiles.temporal,
      pidFile: s.paths.pidFiles.temporal,
    });
    return { pid, stillAlive: () => ourLivePid(s.paths.pidFiles.temporal, MARKER) !== undefined };
  },

  async health(s) {
    await withConnection(s, (connection) => connection.workflowService.getSystemInfo({}));
  },

  async verify(s) {
    await withConnection(s, async (connection) => {
      try {
        await connection.workflowService.describeNamespace({ namespace: s.temporal.namespace });
      } catch (err) {
        if (isNotFound(err)) throw new Error(`namespace '${s.temporal.namespace}' is not registered (pnpm infra up registers it)`);
        throw err;
      }
    });
  },

  async ensureDeclared(s, log) {
    if (await ensureNamespace(s)) log(`registered namespace ${s.temporal.namespace}`);
    const added = await ensureSearchAttributes(s);
    if (added.length) log(`registered search attributes: ${added.join(', ')}`);
  },

  async stop(s) {
    const pid = ourLivePid(s.paths.pidFiles.temporal, MARKER);
    const result = pid === undefined ? 'not running' : await stopProcess(pid, 20_000);
    removeFile(s.paths.pidFiles.temporal);
    return result;
  },
};
