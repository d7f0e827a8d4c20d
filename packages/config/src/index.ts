import { z } from 'zod';

/**
 * Environment parsing for every Linli process. Services declare their variables once with zod and call
 * `loadConfig` at start-up: a misconfigured process must fail before it opens a port, and it must name
 * every problem at once so an operator fixes the deployment in one round instead of one variable per restart.
 */

export type Env = Record<string, string | undefined>;

export interface ConfigIssue {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[]) {
    super(['Invalid configuration:', ...issues.map((issue) => `${issue.variable}: ${issue.message}`)].join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Parses `env` with `schema`; throws one ConfigError listing every bad or missing variable, one per line. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: Env = process.env): z.output<S> {
  // Copy only the declared keys: process.env is an exotic object, and unrelated variables are none of our business.
  const input: Env = {};
  for (const key of Object.keys(schema.shape)) input[key] = env[key];

  const result = schema.safeParse(input);
  if (result.success) return result.data;

  const issues = result.error.issues.map((issue): ConfigIssue => {
    const variable = issue.path.map(String).join('.') || '(root)';
    const raw = input[String(issue.path[0])];
    // zod's own wording for a missing string ("expected string, received undefined") hides the simple truth.
    const missing = issue.code === 'invalid_type' && (raw === undefined || raw === '');
    return { variable, message: missing ? 'required' : issue.message };
  });
  throw new ConfigError(issues);
}

// ---------------------------------------------------------------------------------------------------------
// Field builders. Each takes the raw environment string (or undefined) and yields the typed value. An empty
// string counts as unset, because `PORT=` in an env file means "not set", not "port zero".
// ---------------------------------------------------------------------------------------------------------

function isUnset(raw: string | undefined): raw is undefined | '' {
  return raw === undefined || raw.trim() === '';
}

const rawEnv = z.string().optional();

/** Builds an env field: `parse` returns the value or an error message; unset values take `fallback`. */
function envField<T>(fallback: { value: T } | undefined, parse: (raw: string) => { ok: T } | { error: string }) {
  return rawEnv.transform((raw, ctx): T => {
    if (isUnset(raw)) {
      if (fallback) return fallback.value;
      ctx.addIssue({ code: 'custom', message: 'required' });
      return z.NEVER;
    }
    const parsed = parse(raw.trim());
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.ok;
  });
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** A TCP port; 0 asks the OS for a free one (tests start services that way). */
export function port(defaultPort: number) {
  return envField<number>({ value: defaultPort }, (raw) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value > 65535) {
      return { error: `expected an integer 0-65535, got ${JSON.stringify(raw)}` };
    }
    return { ok: value };
  });
}

/**
 * A PostgreSQL connection URL. The value is never echoed back in the error: it usually carries a password.
 */
export function databaseUrl(options: { default?: string } = {}) {
  const fallback = options.default === undefined ? undefined : { value: options.default };
  return envField<string>(fallback, (raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { error: 'expected a postgresql:// URL' };
    }
    if (url.protocol !== 'postgresql:' && url.protocol !== 'postgres:') {
      return { error: `expected a postgresql:// URL, got scheme "${url.protocol.replace(/:$/, '')}"` };
    }
    if (!url.hostname) return { error: 'expected a postgresql:// URL with a host' };
    return { ok: raw };
  });
}

/** Comma-separated `host:port` list, e.g. `kafka-1:9092,kafka-2:9092`. */
export function kafkaBrokers(defaultBrokers = '127.0.0.1:9092') {
  const parse = (raw: string): { ok: string[] } | { error: string } => {
    const brokers = raw
      .split(',')
      .map((broker) => broker.trim())
      .filter((broker) => broker !== '');
    const bad = brokers.filter((broker) => !HOST_PORT.test(broker));
    if (brokers.length === 0 || bad.length > 0) {
      return { error: `expected a comma-separated list of host:port, got ${JSON.stringify(raw)}` };
    }
    return { ok: brokers };
  };
  const fallback = parse(defaultBrokers);
  if ('error' in fallback) throw new Error(`kafkaBrokers default: ${fallback.error}`);
  return envField({ value: fallback.ok }, parse);
}

/** Prefix put before every topic name (e.g. `staging.`), so several environments can share one cluster. */
export function kafkaTopicPrefix(defaultPrefix = '') {
  return envField<string>({ value: defaultPrefix }, (raw) =>
    /^[A-Za-z0-9._-]+$/.test(raw)
      ? { ok: raw }
      : { error: `expected letters, digits, ".", "_" or "-", got ${JSON.stringify(raw)}` },
  );
}

export function temporalAddress(defaultAddress = '127.0.0.1:7233') {
  return envField<string>({ value: defaultAddress }, (raw) =>
    HOST_PORT.test(raw) ? { ok: raw } : { error: `expected host:port, got ${JSON.stringify(raw)}` },
  );
}

export function temporalNamespace(defaultNamespace = 'linli') {
  return envField<string>({ value: defaultNamespace }, (raw) =>
    /^[A-Za-z0-9._-]+$/.test(raw)
      ? { ok: raw }
      : { error: `expected a namespace name (letters, digits, ".", "_", "-"), got ${JSON.stringify(raw)}` },
  );
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevel(defaultLevel: LogLevel = 'info') {
  return envField<LogLevel>({ value: defaultLevel }, (raw) => {
    const level = raw.toLowerCase();
    return (LOG_LEVELS as readonly string[]).includes(level)
      ? { ok: level as LogLevel }
      : { error: `expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}` };
  });
}

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export function nodeEnv(defaultEnv: NodeEnv = 'development') {
  return envField<NodeEnv>({ value: defaultEnv }, (raw) =>
    (NODE_ENVS as readonly string[]).includes(raw)
      ? { ok: raw as NodeEnv }
      : { error: `expected one of ${NODE_ENVS.join(', ')}, got ${JSON.stringify(raw)}` },
  );
}

/** A free-text variable; `required` unless a default is given. */
export function text(options: { default?: string } = {}) {
  const fallback = options.default === undefined ? undefined : { value: options.default };
  return envField<string>(fallback, (raw) => ({ ok: raw }));
}

/**
 * A symmetric key, base64-encoded, that must decode to exactly `bytes` bytes. The value is never echoed
 * in errors: it is a secret.
 */
export function base64Key(options: { bytes: number; default?: string }) {
  const fallback = options.default === undefined ? undefined : { value: options.default };
  return envField<string>(fallback, (raw) => {
    const value = raw.replace(/\s/g, '');
    const bytes = Buffer.from(value, 'base64');
    // Buffer.from ignores what is not base64; a round trip tells a real key from a typo.
    if (bytes.length !== options.bytes || bytes.toString('base64') !== value) {
      return { error: `expected ${options.bytes} bytes, base64-encoded` };
    }
    return { ok: value };
  });
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** The name a key is stored under beside what it sealed (letters, digits, "_", "-"; at most 32). */
export function keyId(defaultId: string) {
  return envField<string>({ value: defaultId }, (raw) =>
    KEY_ID.test(raw) ? { ok: raw } : { error: `expected letters, digits, "_" or "-" (at most 32), got ${JSON.stringify(raw)}` },
  );
}

/**
 * Retired keys, `keyId:base64,keyId:base64` → `{ keyId: base64 }`: what was sealed before a rotation can
 * still be opened. Unset = none. Key values are never echoed in errors.
 */
export function retiredKeys(options: { bytes: number }) {
  return envField<Record<string, string>>({ value: {} }, (raw) => {
    const keys: Record<string, string> = {};
    for (const entry of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [id, value, ...rest] = entry.split(':');
      const bytes = Buffer.from(value ?? '', 'base64');
      if (!id || !KEY_ID.test(id) || rest.length > 0 || bytes.length !== options.bytes || bytes.toString('base64') !== value) {
        return { error: `expected keyId:base64(${options.bytes} bytes), comma-separated` };
      }
      if (keys[id]) return { error: `key id ${JSON.stringify(id)} is listed twice` };
      keys[id] = value;
    }
    return { ok: keys };
  });
}

/**
 * What every service reads; all of it has a working local default. A service extends it with what is its
 * own: `baseServiceConfig(4001).extend({ DATABASE_URL: databaseUrl() })`.
 */
export function baseServiceConfig(defaultPort: number) {
  return z.object({
    NODE_ENV: nodeEnv(),
    PORT: port(defaultPort),
    LOG_LEVEL: logLevel(),
    KAFKA_BROKERS: kafkaBrokers(),
    KAFKA_TOPIC_PREFIX: kafkaTopicPrefix(),
    TEMPORAL_ADDRESS: temporalAddress(),
    TEMPORAL_NAMESPACE: temporalNamespace(),
  });
}

export type BaseServiceConfig = z.output<ReturnType<typeof baseServiceConfig>>;
