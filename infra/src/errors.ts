import type { ComponentName } from './settings';

/**
 * A failure the user can act on. `message` is one line saying what went wrong and, where we know it,
 * how to fix it; `logFile` points at the log whose tail explains the rest. The CLI prints these as
 * `[component] message`, never as a stack trace.
 */
export class InfraError extends Error {
  constructor(
    readonly component: ComponentName | 'infra',
    message: string,
    readonly logFile?: string,
  ) {
    super(message);
    this.name = 'InfraError';
  }
}

/** A tool (go, java, mvn, PostgreSQL) is not installed; the message carries the install command. */
export class MissingToolError extends InfraError {
  override name = 'MissingToolError';
}

/** A port we need is held by a process that is not ours. */
export class PortTakenError extends InfraError {
  override name = 'PortTakenError';
}

/** `up` failed for one or more components; each failure is kept so every one gets reported. */
export class InfraUpError extends Error {
  constructor(
    readonly failures: InfraError[],
    details: string,
    /** Components that did come up (left running so the next `up` is quick). */
    readonly running: ComponentName[] = [],
  ) {
    super(details);
    this.name = 'InfraUpError';
  }
}

export function asInfraError(component: ComponentName, err: unknown, logFile?: string): InfraError {
  if (err instanceof InfraError) return err;
  return new InfraError(component, err instanceof Error ? err.message : String(err), logFile);
}
