/**
 * Detached processes with pid files, and the small helpers around them. The components must outlive
 * the CLI that started them (`pnpm infra up` returns, the servers keep running), so every start is a
 * detached spawn in its own process group whose output goes straight to a log file.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Logs are kept across restarts (they explain crashes); past this size the old one moves to .1. */
const ROTATE_AT_BYTES = 20 * 1024 * 1024;

export interface DetachedSpawn {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  pidFile: string;
}

/**
 * Starts a process that survives us: own session (detached), stdin closed, stdout+stderr appended to
 * the log file, pid written to the pid file, and unref'd so Node does not wait for it.
 */
export function spawnDetached(opts: DetachedSpawn): number {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  mkdirSync(dirname(opts.pidFile), { recursive: true });
  rotateIfLarge(opts.logFile);
  const fd = openSync(opts.logFile, 'a');
  try {
    // A header per start makes "which run wrote this?" answerable when reading the log later.
    writeSync(fd, `\n--- linli infra: ${new Date().toISOString()} starting: ${opts.command} ${opts.args.join(' ')}\n`);
    const child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    // Without a listener a failed exec (ENOENT) would crash the CLI; tools are checked before, so
    // this is a last resort that shows up as "exited during start-up".
    child.on('error', (err) => writeSync(fd, `linli infra: could not start ${opts.command}: ${err.message}\n`));
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${opts.command}`);
    writeFileSync(opts.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

function rotateIfLarge(file: string): void {
  if (existsSync(file) && statSync(file).size > ROTATE_AT_BYTES) renameSync(file, `${file}.1`);
}

export function readPidFile(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}

/** Alive = exists and is not a zombie (a zombie still answers kill(pid, 0)). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user (e.g. postgres when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (not Linux): trust kill(0)
  }
}

/** The command line of a process, '' when unknown; used to tell our pid from a recycled one. */
export function processCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * The pid from a pid file if that process is still alive and still looks like ours (`marker` appears
 * in its command line). Pids get recycled after reboots; without the marker check we could report
 * — or stop! — an unrelated process.
 */
export function ourLivePid(pidFile: string, marker: string): number | undefined {
  const pid = readPidFile(pidFile);
  if (pid === undefined || !isProcessAlive(pid)) return undefined;
  const cmd = processCommandLine(pid);
  return cmd === '' || cmd.includes(marker) ? pid : undefined;
}

/**
 * SIGTERM (the graceful path for Kafka and Temporal), wait, then SIGKILL. The signal goes to the
 * whole process group because detached children lead their own group.
 */
export async function stopProcess(pid: number, timeoutMs: number): Promise<'stopped' | 'killed' | 'not running'> {
  if (!isProcessAlive(pid)) return 'not running';
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return 'stopped';
    await sleep(200);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 25 && isProcessAlive(pid); i++) await sleep(200);
  return 'killed';
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    try {
      process.kill(pid, sig);
    } catch {
      /* already gone */
    }
  }
}

// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;

export interface CommandResult {
  code: number;
  /** Last part of the combined output, for error messages. */
  output: string;
}

/**
 * Runs a command to completion without blocking the event loop (installs run side by side), with
 * its output appended to a log file when given.
 */
export function runCommand(
  command: string,
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile?: string; detached?: boolean } = {},
): Promise<CommandResult> {
  return new Promise((done) => {
    let fd: number | undefined;
    if (opts.logFile) {
      mkdirSync(dirname(opts.logFile), { recursive: true });
      fd = openSync(opts.logFile, 'a');
      writeSync(fd, `\n--- linli infra: ${new Date().toISOString()} running: ${command} ${args.join(' ')}\n`);
    }
    let output = '';
    const keep = (chunk: Buffer) => {
      // Colour codes (Maven prints some even with -B) make log files hard to read.
      const text = chunk.toString('utf8').replace(ANSI_ESCAPE, '');
      if (fd !== undefined) writeSync(fd, text);
      output = (output + text).slice(-8000);
    };
    const spawnOpts: SpawnOptions = { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.detached };
    const child = spawn(command, args, spawnOpts);
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const finish = (code: number) => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      done({ code, output });
    };
    child.on('error', (err) => {
      keep(Buffer.from(`${err.message}\n`));
      finish(127);
    });
    child.on('close', (code) => finish(code ?? 1));
  });
}

/** The last `lines` lines of a text file ('' when absent); read from the end so big logs are cheap. */
export function tailFile(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const size = statSync(file).size;
  const chunk = Math.min(size, 64 * 1024 + lines * 200);
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(chunk);
    readSync(fd, buf, 0, chunk, size - chunk);
    const text = buf.toString('utf8').replace(/\s+$/, '');
    return text.split('\n').slice(-lines).join('\n');
  } finally {
    closeSync(fd);
  }
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** When this turns false we stop waiting at once (the process died) instead of running into the timeout. */
  stillAlive?: () => boolean;
  /** Called about every `tickMs` while waiting, with the elapsed milliseconds. */
  onTick?: (elapsedMs: number) => void;
  tickMs?: number;
  /** Errors for which waiting makes no sense (default: every error is worth another try). */
  retryIf?: (err: unknown) => boolean;
}

/** Calls `probe` until it resolves; rejects with the last probe error on timeout or process death. */
export async function waitFor<T>(probe: () => Promise<T>, opts: WaitOptions): Promise<T> {
  const started = Date.now();
  const tickMs = opts.tickMs ?? 10_000;
  let nextTick = started + tickMs;
  let lastError: unknown;
  for (;;) {
    try {
      return await probe();
    } catch (err) {
      if (opts.retryIf && !opts.retryIf(err)) throw err;
      lastError = err;
    }
    const now = Date.now();
    const cause = lastError instanceof Error ? lastError.message : String(lastError);
    if (opts.stillAlive && !opts.stillAlive()) throw new Error(`the process exited during start-up (last check: ${cause})`);
    if (now - started >= opts.timeoutMs) throw new Error(`no answer after ${Math.round(opts.timeoutMs / 1000)}s (last check: ${cause})`);
    if (opts.onTick && now >= nextTick) {
      opts.onTick(now - started);
      nextTick += tickMs;
    }
    await sleep(opts.intervalMs ?? 500);
  }
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}
