/**
 * The logging this package needs. It is the pino call shape `(obj, msg?)`, so a @linli/logger (pino)
 * instance fits as is; the package does not import @linli/logger so it stays usable in scripts and tests.
 */
export interface EventLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** For callers that want no output (tools, some tests). */
export const silentLogger: EventLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Error text safe and short enough for a log field or a database column. */
export function errorMessage(error: unknown, max = 2000): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
