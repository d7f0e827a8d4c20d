import type { ComponentName, InfraSettings, PortKey } from '../settings';

export type Log = (message: string) => void;

export interface StartedProcess {
  pid: number;
  /** False once the server process has died, so waiting for health can stop early. */
  stillAlive: () => boolean;
}

/**
 * What the lifecycle (up/down/status) needs from each piece of infrastructure. Every step is
 * idempotent: `install` skips what is installed, `ensureDeclared` creates only what is missing.
 */
export interface Component {
  name: ComponentName;
  /** How long a fresh start may take before we call it failed. */
  startTimeoutMs: number;
  endpoint(s: InfraSettings): string;
  dataDir(s: InfraSettings): string;
  logFile(s: InfraSettings): string;
  /** The pid of OUR server when it is running (pid file + alive + looks like ours), else undefined. */
  runningPid(s: InfraSettings): number | undefined;
  /**
   * The main port our running server actually listens on (from its own records), so a changed
   * *_PORT variable is reported at once instead of as a server that does not answer.
   */
  runningPort(s: InfraSettings): number | undefined;
  /** Which of the settings' ports is the main one (its variable is named in messages). */
  portKey: PortKey;
  /** Cheap checks before anything starts (tools, ports); throws a one-line MissingToolError/PortTakenError. */
  preflight(s: InfraSettings): Promise<void>;
  /** Fetches/builds what is missing (slow only the first time). */
  install(s: InfraSettings, log: Log): Promise<void>;
  /** Starts the server detached; returns once it is spawned, not once it answers. */
  start(s: InfraSettings, log: Log): Promise<StartedProcess>;
  /** One real request; rejects with the cause when the server does not answer it. */
  health(s: InfraSettings): Promise<void>;
  /**
   * Optional deeper check for `status`, after health: declared state the server needs before the
   * services can use it (e.g. Temporal's namespace). Rejects with the cause.
   */
  verify?(s: InfraSettings): Promise<void>;
  /** Creates the declared resources (databases, topics, search attributes) that are missing. */
  ensureDeclared(s: InfraSettings, log: Log): Promise<void>;
  /** Graceful stop; data stays. Resolves to what happened, for the CLI line. */
  stop(s: InfraSettings, log: Log): Promise<'stopped' | 'killed' | 'not running'>;
}
