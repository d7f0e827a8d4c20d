/**
 * Every port, path and name the local infrastructure uses, resolved once from the environment.
 * Pure: reading settings never creates a folder or touches a process, so tests and `pnpm dev` can call
 * it freely. Everything else in infra/ receives an `InfraSettings` instead of reading process.env.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What a client needs to reach the running infrastructure (the shape `up()` returns). */
export interface InfraEndpoints {
  postgres: {
    host: string;
    port: number;
    user: string;
    /** Superuser URL on the maintenance database, e.g. postgresql://postgres@127.0.0.1:55432/postgres */
    adminUrl: string;
  };
  kafka: { brokers: string[] };
  temporal: {
    address: string;
    namespace: string;
    uiUrl: string;
    /** Where the UI's Data Encoder decodes payloads (the operations service's /codec); '' = none. */
    uiCodecEndpoint: string;
  };
}

export type ComponentName = 'postgres' | 'kafka' | 'temporal';
/** Start order does not matter (they are independent); this is the order of every listing. */
export const COMPONENTS: readonly ComponentName[] = ['postgres', 'kafka', 'temporal'];

/** The environment variable behind each port, named in every "port taken" message. */
export const PORT_ENV = {
  postgres: 'PG_PORT',
  kafka: 'KAFKA_PORT',
  kafkaController: 'KAFKA_CONTROLLER_PORT',
  temporal: 'TEMPORAL_PORT',
  temporalUi: 'TEMPORAL_UI_PORT',
} as const;
export type PortKey = keyof typeof PORT_ENV;

const DEFAULT_PORTS: Record<PortKey, number> = {
  postgres: 55432,
  kafka: 9092,
  kafkaController: 9093,
  temporal: 7233,
  temporalUi: 8233,
};

/** Pinned versions: changing one here is all it takes for the next `up` to fetch/build the new one. */
export const VERSIONS = {
  temporalCliModule: 'github.com/temporalio/cli/cmd/temporal',
  temporalCli: 'v1.5.1',
  kafka: '3.9.1',
  scala: '2.13',
  slf4jReload4j: '1.7.36',
} as const;

export interface InfraPaths {
  /** Built binaries (the Temporal CLI); kept by `reset`. */
  bin: string;
  temporalBinary: string;
  /** Records which module version bin/temporal was built from. */
  temporalStamp: string;
  /** Kafka's pom, jars and rendered configuration; libs/ is kept by `reset`. */
  kafkaDir: string;
  kafkaLibs: string;
  kafkaPom: string;
  kafkaProperties: string;
  kafkaLog4j: string;
  /** All state; `reset` deletes it. */
  data: string;
  dataDirs: Record<ComponentName, string>;
  temporalDb: string;
  logs: string;
  logFiles: Record<ComponentName, string>;
  /** Output of the one-time installs (go build, mvn), so the service logs stay readable. */
  installLogs: { temporal: string; kafka: string };
  run: string;
  pidFiles: Record<ComponentName, string>;
  /** Unix socket directory of PostgreSQL (kept out of /var/run, which needs root). */
  postgresSocketDir: string;
}

export interface InfraSettings extends InfraEndpoints {
  /** LINLI_HOME: the one git-ignored folder holding binaries, jars, data, logs and pid files. */
  home: string;
  repoRoot: string;
  ports: Record<PortKey, number>;
  /** Prefix of every Kafka topic name (KAFKA_TOPIC_PREFIX, '' outside tests). */
  topicPrefix: string;
  /** Folder with initdb/pg_ctl/postgres, or undefined when no PostgreSQL is installed. */
  pgBin: string | undefined;
  paths: InfraPaths;
}

/** infra/src → infra → repository root. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export function infraSettings(env: NodeJS.ProcessEnv = process.env): InfraSettings {
  const home = resolve(env.LINLI_HOME?.trim() || join(REPO_ROOT, '.linli'));
  const ports = readPorts(env);
  const host = '127.0.0.1';
  const namespace = env.TEMPORAL_NAMESPACE?.trim() || 'linli';

  const data = join(home, 'data');
  const logs = join(home, 'logs');
  const run = join(home, 'run');
  const kafkaDir = join(home, 'kafka');
  const perComponent = (dir: string, suffix: string): Record<ComponentName, string> => ({
    postgres: join(dir, `postgres${suffix}`),
    kafka: join(dir, `kafka${suffix}`),
    temporal: join(dir, `temporal${suffix}`),
  });
  const dataDirs = perComponent(data, '');

  return {
    home,
    repoRoot: REPO_ROOT,
    ports,
    topicPrefix: env.KAFKA_TOPIC_PREFIX ?? '',
    pgBin: findPgBin(env),
    postgres: {
      host,
      port: ports.postgres,
      user: 'postgres',
      adminUrl: `postgresql://postgres@${host}:${ports.postgres}/postgres`,
    },
    kafka: { brokers: [`${host}:${ports.kafka}`] },
    temporal: {
      address: `${host}:${ports.temporal}`,
      namespace,
      uiUrl: `http://${host}:${ports.temporalUi}`,
      uiCodecEndpoint: (env.TEMPORAL_UI_CODEC_ENDPOINT ?? `http://${host}:${env.OPERATIONS_PORT?.trim() || '4000'}/codec`).trim(),
    },
    paths: {
      bin: join(home, 'bin'),
      temporalBinary: join(home, 'bin', 'temporal'),
      temporalStamp: join(home, 'bin', 'temporal.version'),
      kafkaDir,
      kafkaLibs: join(kafkaDir, 'libs'),
      kafkaPom: join(kafkaDir, 'pom.xml'),
      kafkaProperties: join(kafkaDir, 'server.properties'),
      kafkaLog4j: join(kafkaDir, 'log4j.properties'),
      data,
      dataDirs,
      temporalDb: join(dataDirs.temporal, 'temporal.db'),
      logs,
      logFiles: perComponent(logs, '.log'),
      installLogs: { temporal: join(logs, 'temporal-build.log'), kafka: join(logs, 'kafka-install.log') },
      run,
      pidFiles: perComponent(run, '.pid'),
      postgresSocketDir: join(run, 'postgres'),
    },
  };
}

function readPorts(env: NodeJS.ProcessEnv): Record<PortKey, number> {
  const ports = {} as Record<PortKey, number>;
  for (const key of Object.keys(PORT_ENV) as PortKey[]) {
    const name = PORT_ENV[key];
    const raw = env[name]?.trim();
    if (!raw) {
      ports[key] = DEFAULT_PORTS[key];
      continue;
    }
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${name} must be a port number between 1 and 65535, got '${raw}'`);
    }
    ports[key] = port;
  }
  // Two components on one port would fail later with a confusing bind error; say it now.
  const seen = new Map<number, string>();
  for (const key of Object.keys(ports) as PortKey[]) {
    const other = seen.get(ports[key]);
    if (other) throw new Error(`${other} and ${PORT_ENV[key]} are both ${ports[key]}; give each its own port`);
    seen.set(ports[key], PORT_ENV[key]);
  }
  return ports;
}

/**
 * PG_BIN wins; otherwise the newest Debian-style /usr/lib/postgresql/<major>/bin. Debian keeps
 * initdb and pg_ctl out of PATH (only wrappers are there), which is why we look there at all.
 */
function findPgBin(env: NodeJS.ProcessEnv): string | undefined {
  if (env.PG_BIN?.trim()) return resolve(env.PG_BIN.trim());
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((name) => /^\d+(\.\d+)?$/.test(name) && existsSync(join(root, name, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] ? join(root, majors[0], 'bin') : undefined;
}
