/**
 * Checks made before anything starts: are the tools installed, are the ports free. Each problem
 * becomes ONE line that says what to do, because a Java stack trace or "EADDRINUSE" tells a newcomer
 * nothing about which package to install or which variable to set.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { MissingToolError, PortTakenError } from './errors';
import { processCommandLine } from './process';
import type { ComponentName, PortKey } from './settings';
import { PORT_ENV } from './settings';

/** How to get each tool on a Debian/Ubuntu machine like the ones this project targets. */
export const INSTALL_HINTS = {
  go: 'install Go >= 1.21 from https://go.dev/dl/ (Debian bookworm\'s golang-go 1.19 is too old; newer Go fetches the toolchain the Temporal CLI needs through the module proxy)',
  java: 'install it: apt-get install -y openjdk-17-jre-headless',
  mvn: 'install it: apt-get install -y maven',
  postgres: 'install it: apt-get install -y postgresql-15 (or point PG_BIN at a folder holding initdb and pg_ctl)',
  runuser: 'install it: apt-get install -y util-linux',
} as const;

/** Admin tools live in sbin, which a non-login shell's PATH often lacks. */
const SBIN_DIRS = ['/usr/sbin', '/sbin'];

/** The absolute path of an executable found on PATH (then sbin), or undefined. */
export function findExecutable(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of [...(env.PATH ?? '').split(delimiter), ...SBIN_DIRS]) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function missingToolMessage(tool: string, hint: string): string {
  return `${tool} not found — ${hint}`;
}

/** Finds `name` on PATH or throws the one-line "not found — install it" error. */
export function requireTool(component: ComponentName, name: keyof typeof INSTALL_HINTS, env: NodeJS.ProcessEnv = process.env): string {
  const found = findExecutable(name, env);
  if (!found) throw new MissingToolError(component, missingToolMessage(name, INSTALL_HINTS[name]));
  return found;
}

/** Java: JAVA_HOME/bin/java when set (the usual convention), else PATH. */
export function requireJava(env: NodeJS.ProcessEnv = process.env): string {
  const fromHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : undefined;
  if (fromHome && isExecutable(fromHome)) return fromHome;
  return requireTool('kafka', 'java', env);
}

/** The PostgreSQL server binaries we drive (Debian keeps them out of PATH). */
export function requirePostgresBinaries(pgBin: string | undefined): { initdb: string; pgCtl: string } {
  const where = pgBin ?? '/usr/lib/postgresql/<version>/bin';
  if (!pgBin || !existsSync(join(pgBin, 'initdb')) || !existsSync(join(pgBin, 'pg_ctl'))) {
    throw new MissingToolError('postgres', missingToolMessage(`PostgreSQL server binaries (initdb, pg_ctl in ${where})`, INSTALL_HINTS.postgres));
  }
  return { initdb: join(pgBin, 'initdb'), pgCtl: join(pgBin, 'pg_ctl') };
}

/**
 * Free = we can bind it on 127.0.0.1 ourselves. On Linux that bind also fails when another process
 * listens on 0.0.0.0 or [::] (dual stack), which are exactly the clashes our servers would hit.
 */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => done(true)));
  });
}

/**
 * Who listens on a port, as "name (pid N: command line)", when `ss -ltnp` can tell (it needs root or
 * the same user to show the process); undefined otherwise.
 */
export function portHolder(port: number): string | undefined {
  const ssPath = findExecutable('ss');
  if (!ssPath) return undefined;
  const ss = spawnSync(ssPath, ['-H', '-l', '-t', '-n', '-p', `sport = :${port}`], { encoding: 'utf8', timeout: 3000 });
  if (ss.status !== 0 || !ss.stdout) return undefined;
  const match = /users:\(\("([^"]+)",pid=(\d+)/.exec(ss.stdout);
  if (!match) return undefined;
  const [, name, pid] = match;
  const cmd = processCommandLine(Number(pid));
  const shortCmd = cmd.length > 100 ? `${cmd.slice(0, 97)}...` : cmd;
  return shortCmd ? `${name} (pid ${pid}: ${shortCmd})` : `${name} (pid ${pid})`;
}

export function portTakenMessage(port: number, portKey: PortKey, holder: string | undefined): string {
  const env = PORT_ENV[portKey];
  const by = holder ? ` by ${holder}` : ' by another process';
  return `port ${port} is already taken${by}, which is not ours — stop it, or choose another port: ${env}=<free port> pnpm infra up`;
}

/** Resolves when the port is free; rejects with the one-line PortTakenError otherwise. */
export async function assertPortFree(component: ComponentName, portKey: PortKey, port: number): Promise<void> {
  if (await isPortFree(port)) return;
  throw new PortTakenError(component, portTakenMessage(port, portKey, portHolder(port)));
}
