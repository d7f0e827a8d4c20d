import type { Logger } from '@linli/logger';

/**
 * The last line of defence, and the one place start-up failures end: a start.ts can simply let `main()`
 * reject (bad config, database unreachable) and this logs it once, with its stack, and exits 1 so the
 * orchestrator sees a failed process instead of a half-started one. After an uncaught exception the
 * process state is unknown, so we never try to carry on.
 */
export interface ProcessHandlerOptions {
  /** Default process.exit; replaceable in tests. */
  exit?: (code: number) => void;
}

let installed: (() => void) | undefined;

/** Installs the handlers once per process; returns a function that removes them (for tests). */
export function installProcessHandlers(logger: Logger, options: ProcessHandlerOptions = {}): () => void {
  if (installed) return installed;
  const exit = options.exit ?? ((code: number) => process.exit(code));

  const onRejection = (reason: unknown) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection, exiting');
    exit(1);
  };
  const onException = (error: Error, origin: string) => {
    logger.fatal({ err: error, origin }, 'uncaught exception, exiting');
    exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);

  const uninstall = () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
    installed = undefined;
  };
  installed = uninstall;
  return uninstall;
}
