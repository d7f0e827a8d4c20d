import pino from 'pino';
import pinoPretty from 'pino-pretty';
import { PHONE_KEYS, SECRET_KEYS, censorValue, scrubJsonLine } from './personal-data';

export {
  PHONE_KEYS,
  REDACTED,
  SECRET_KEYS,
  maskPhone,
  scrubJsonLine,
  scrubPersonalData,
  scrubText,
} from './personal-data';

export type Logger = pino.Logger;
export type LogLevel = pino.LevelWithSilent;

export interface CreateLoggerOptions {
  /** Written on every line as `service`. */
  service: string;
  /** Defaults to $LOG_LEVEL, else `info`. */
  level?: string;
  /** Human-readable lines instead of JSON. Default: only in development and unless LOG_FORMAT=json. */
  pretty?: boolean;
  /** Where lines go (default stdout). Tests pass a stream they can read. */
  destination?: pino.DestinationStream;
  /** Read for NODE_ENV, LOG_LEVEL and LOG_FORMAT; default process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * Every depth we cover with a sensitive key. Pino's redaction needs explicit paths (no "any depth" wildcard),
 * so we list the shapes our services actually log: top level, nested objects up to 3 levels, and objects
 * inside arrays (`participants[0].phone`). Anything deeper is still caught by the text scrub if it is a phone.
 */
const REDACT_PREFIXES = ['', '*.', '*.*.', '*.*.*.', '*[*].', '*.*[*].', '*[*].*.', '*.*[*].*.'];

export function redactPaths(): string[] {
  const keys = [...PHONE_KEYS, ...SECRET_KEYS];
  const paths = REDACT_PREFIXES.flatMap((prefix) => keys.map((key) => `${prefix}${key}`));
  // Request headers as logged by hand or by serializers: `x-api-key` needs bracket syntax.
  for (const holder of ['headers', 'req.headers', '*.headers']) {
    paths.push(`${holder}["x-api-key"]`);
  }
  return paths;
}

export function shouldPrettyPrint(env: Record<string, string | undefined>): boolean {
  const format = env.LOG_FORMAT?.toLowerCase();
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  const nodeEnv = env.NODE_ENV ?? 'development';
  return nodeEnv === 'development';
}

/**
 * The one way Linli processes create a logger: JSON lines with `service` and `pid`, ISO timestamps, level as a
 * word, personal data redacted by key and scrubbed from every string. Per-request loggers are children:
 * `logger.child({ reqId })`.
 */
export function createLogger(options: CreateLoggerOptions): Logger {
  const env = options.env ?? process.env;
  const level = options.level ?? env.LOG_LEVEL ?? 'info';
  const pretty = options.pretty ?? shouldPrettyPrint(env);

  const pinoOptions: pino.LoggerOptions = {
    level,
    base: { service: options.service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    redact: {
      paths: redactPaths(),
      censor: (value: unknown, path: string[]) => censorValue(path[path.length - 1] ?? '', value),
    },
    hooks: {
      // The last net: every string literal of the finished line (message, fields, bindings, error stacks)
      // has mobile numbers masked, whatever key or depth they came in under.
      streamWrite: scrubJsonLine,
    },
  };

  if (pretty) {
    // In-process (not a worker transport) so it works the same under tsx, jest and plain node.
    const prettyStream = pinoPretty({
      colorize: options.destination === undefined && Boolean(process.stdout.isTTY),
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      sync: true,
      ...(options.destination ? { destination: options.destination as unknown as NodeJS.WritableStream } : {}),
    });
    return pino(pinoOptions, prettyStream);
  }
  // No destination → pino's default synchronous stdout, so the last lines before a crash exit are not lost.
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
