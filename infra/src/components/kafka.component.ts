/**
 * Apache Kafka as a plain JVM process: the broker jars come from Maven Central (reachable here, unlike
 * Kafka's download site), a single node runs as both broker and KRaft controller, and everything it
 * writes lives under LINLI_HOME. Kafka code stays behind this module and createTopics, so the kafkajs
 * client (unmaintained since 2023) could be swapped without touching the rest.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from '@linli/contracts';
import { Kafka, logLevel, type ITopicConfig } from 'kafkajs';
import { InfraError } from '../errors';
import { formatSeconds, ourLivePid, removeFile, runCommand, spawnDetached, stopProcess } from '../process';
import { VERSIONS, type InfraSettings } from '../settings';
import { assertPortFree, requireJava, requireTool } from '../tools';
import type { Component, Log } from './component';

/** The jars a `mvn copy-dependencies` run produced; a marker so an interrupted download is redone. */
const JARS_MARKER = '.linli-complete';
const jarsKey = () => `kafka_${VERSIONS.scala}:${VERSIONS.kafka} slf4j-reload4j:${VERSIONS.slf4jReload4j}`;
/** Marks "this process is our broker" in /proc/<pid>/cmdline. */
const MAIN_CLASS = 'kafka.Kafka';

export function kafkaJarsInstalled(s: InfraSettings): boolean {
  const marker = join(s.paths.kafkaLibs, JARS_MARKER);
  return existsSync(marker) && readFileSync(marker, 'utf8').trim() === jarsKey();
}

/** A pom with nothing but the broker's dependencies, so Maven can resolve and copy the jars. */
export function renderKafkaPom(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by @linli/infra: lets Maven fetch the Kafka broker jars into ./libs. Not a build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>linli.local</groupId>
  <artifactId>kafka-broker-jars</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.apache.kafka</groupId>
      <artifactId>kafka_${VERSIONS.scala}</artifactId>
      <version>${VERSIONS.kafka}</version>
    </dependency>
    <!-- Kafka logs through slf4j; this binds it to reload4j, which reads our log4j.properties. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-reload4j</artifactId>
      <version>${VERSIONS.slf4jReload4j}</version>
      <scope>runtime</scope>
    </dependency>
  </dependencies>
</project>
`;
}

/** Single-node KRaft: this one process is the whole cluster (broker + controller, replication 1). */
export function renderServerProperties(s: InfraSettings): string {
  const { kafka, kafkaController } = s.ports;
  return [
    '# Written by @linli/infra on every `up`; edit infra/src/components/kafka.component.ts instead.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${kafkaController}`,
    `listeners=PLAINTEXT://127.0.0.1:${kafka},CONTROLLER://127.0.0.1:${kafkaController}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${kafka}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${s.paths.dataDirs.kafka}`,
    'num.partitions=1',
    // Internal topics default to replication 3; on one broker consumers would then fail with
    // "group coordinator not available".
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    // Consumers in tests join at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms=0',
    // Topics come from the declared list (ALL_TOPICS) only; a typo must fail, not create a topic.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

/**
 * Log4j (reload4j) to stdout, which spawnDetached sends to logs/kafka.log: one file, no rotation
 * fights between log4j and our redirect. Passing this file also silences log4j's own "no appenders"
 * warnings. Warnings and errors only, apart from start-up/shutdown milestones: the INFO stream
 * (every partition, every config) buries what matters when a developer opens the log.
 */
export function renderLog4j(): string {
  return [
    'log4j.rootLogger=WARN, stdout',
    'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
    'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // Start-up and shutdown milestones ("Kafka Server started", state transitions) stay visible.
    'log4j.logger.kafka.server.KafkaRaftServer=INFO',
    'log4j.logger.kafka.server.BrokerServer=INFO',
    'log4j.logger.kafka.server.ControllerServer=INFO',
    '',
  ].join('\n');
}

function javaArgs(s: InfraSettings, mainClass: string, args: string[], heap: string[] = []): string[] {
  return [
    ...heap,
    `-Dlog4j.configuration=file:${s.paths.kafkaLog4j}`,
    '-Djava.awt.headless=true',
    // Java expands the wildcard itself (no shell involved), so the literal '*' is intended.
    '-cp',
    join(s.paths.kafkaLibs, '*'),
    mainClass,
    ...args,
  ];
}

/** The create-topic requests for the declared topics under a prefix (replication 1: one broker). */
export function topicCreateRequests(prefix: string): ITopicConfig[] {
  return ALL_TOPICS.map((t) => ({
    topic: `${prefix}${t.name}`,
    numPartitions: t.partitions,
    replicationFactor: 1,
    configEntries: [{ name: 'retention.ms', value: String(t.retentionMs) }],
  }));
}

function kafkaClient(brokers: string[], timeouts = { connectionTimeout: 2000, requestTimeout: 5000, retries: 0 }): Kafka {
  return new Kafka({
    clientId: 'linli-infra',
    brokers,
    connectionTimeout: timeouts.connectionTimeout,
    requestTimeout: timeouts.requestTimeout,
    retry: { retries: timeouts.retries },
    // Our own messages say what failed; kafkajs' JSON error lines would only repeat it noisily.
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Creates every declared topic (ALL_TOPICS) under `prefix` that does not exist yet; existing topics
 * are left exactly as they are. Returns the names created. Used by `up` (prefix '') and by test
 * isolation (a prefix per run).
 */
export async function createTopics(brokers: string[], prefix: string): Promise<string[]> {
  const created: string[] = [];
  // A broker that has just started may still answer "does not host this topic-partition" or "leader not
  // available" while its metadata settles: those are retriable, so try again with backoff.
  for (let attempt = 1; ; attempt++) {
    try {
      created.push(...(await createMissingTopics(brokers, prefix)));
      return created;
    } catch (err) {
      const retriable = (err as { retriable?: boolean }).retriable === true || /does not host this topic-partition|leader/i.test((err as Error).message);
      if (!retriable || attempt >= 8) throw err;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

async function createMissingTopics(brokers: string[], prefix: string): Promise<string[]> {
  const admin = kafkaClient(brokers, { connectionTimeout: 3000, requestTimeout: 30_000, retries: 5 }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topicCreateRequests(prefix).filter((t) => !existing.has(t.topic));
    if (missing.length === 0) return [];
    try {
      await admin.createTopics({ topics: missing, waitForLeaders: true });
    } catch (err) {
      // A parallel run may have created some of them between listTopics and createTopics.
      const nested = (err as { errors?: { type?: string }[] }).errors ?? [err as { type?: string }];
      if (!nested.every((e) => e.type === 'TOPIC_ALREADY_EXISTS')) throw err;
    }
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

export const kafkaComponent: Component = {
  name: 'kafka',
  startTimeoutMs: 120_000,
  endpoint: (s) => s.kafka.brokers.join(','),
  dataDir: (s) => s.paths.dataDirs.kafka,
  logFile: (s) => s.paths.logFiles.kafka,

  runningPid: (s) => ourLivePid(s.paths.pidFiles.kafka, MAIN_CLASS),
  portKey: 'kafka',
  // server.properties is rendered just before each start, so it describes the running broker.
  runningPort: (s) => {
    if (!existsSync(s.paths.kafkaProperties)) return undefined;
    const m = /^listeners=PLAINTEXT:\/\/[^:]+:(\d+)/m.exec(readFileSync(s.paths.kafkaProperties, 'utf8'));
    return m ? Number(m[1]) : undefined;
  },

  async preflight(s) {
    requireJava();
    if (!kafkaJarsInstalled(s)) requireTool('kafka', 'mvn');
    await assertPortFree('kafka', 'kafka', s.ports.kafka);
    await assertPortFree('kafka', 'kafkaController', s.ports.kafkaController);
  },

  async install(s, log) {
    if (kafkaJarsInstalled(s)) return;
    const started = Date.now();
    log(`fetching the Kafka ${VERSIONS.kafka} jars from Maven Central (first time; quick when ~/.m2 already has them) ...`);
    mkdirSync(s.paths.kafkaLibs, { recursive: true });
    writeFileSync(s.paths.kafkaPom, renderKafkaPom());
    const logFile = s.paths.installLogs.kafka;
    const mvn = requireTool('kafka', 'mvn');
    const result = await runCommand(
      mvn,
      ['-q', '-B', '-f', s.paths.kafkaPom, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${s.paths.kafkaLibs}`],
      { cwd: s.paths.kafkaDir, logFile },
    );
    if (result.code !== 0) throw new InfraError('kafka', `mvn could not fetch the Kafka jars (exit ${result.code})`, logFile);
    writeFileSync(join(s.paths.kafkaLibs, JARS_MARKER), `${jarsKey()}\n`);
    log(`jars ready in ${s.paths.kafkaLibs} (${formatSeconds(Date.now() - started)})`);
  },

  async start(s, log) {
    const java = requireJava();
    const logFile = s.paths.logFiles.kafka;
    mkdirSync(s.paths.dataDirs.kafka, { recursive: true });
    // Rendered on every start so a changed port or path always reaches the broker.
    writeFileSync(s.paths.kafkaProperties, renderServerProperties(s));
    writeFileSync(s.paths.kafkaLog4j, renderLog4j());

    // KRaft storage is formatted once, with a new cluster id; formatting a formatted directory fails,
    // so the meta.properties the format writes is our "already formatted" marker.
    if (!existsSync(join(s.paths.dataDirs.kafka, 'meta.properties'))) {
      log(`formatting the KRaft storage in ${s.paths.dataDirs.kafka} ...`);
      const uuid = await runCommand(java, javaArgs(s, 'kafka.tools.StorageTool', ['random-uuid']), { cwd: s.paths.kafkaDir });
      const clusterId = uuid.output.trim().split('\n').pop()?.trim() ?? '';
      if (uuid.code !== 0 || !/^[A-Za-z0-9_-]{22}$/.test(clusterId)) {
        throw new InfraError('kafka', `StorageTool random-uuid failed (exit ${uuid.code}): ${uuid.output.trim().slice(-300)}`);
      }
      const format = await runCommand(java, javaArgs(s, 'kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', s.paths.kafkaProperties]), {
        cwd: s.paths.kafkaDir,
        logFile,
      });
      if (format.code !== 0) throw new InfraError('kafka', `formatting the storage failed (exit ${format.code})`, logFile);
    }

    const pid = spawnDetached({
      command: java,
      args: javaArgs(s, MAIN_CLASS, [s.paths.kafkaProperties], ['-Xms256m', '-Xmx512m']),
      cwd: s.paths.kafkaDir,
      logFile,
      pidFile: s.paths.pidFiles.kafka,
    });
    return { pid, stillAlive: () => ourLivePid(s.paths.pidFiles.kafka, MAIN_CLASS) !== undefined };
  },

  async health(s) {
    const admin = kafkaClient(s.kafka.brokers).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('metadata lists no broker yet');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  },

  async ensureDeclared(s, log) {
    const created = await createTopics(s.kafka.brokers, s.topicPrefix);
    if (created.length) log(`created topics: ${created.join(', ')}`);
  },

  async stop(s) {
    const pid = ourLivePid(s.paths.pidFiles.kafka, MAIN_CLASS);
    // Controlled shutdown of a single node takes a few seconds; beyond 30 s something is stuck.
    const result = pid === undefined ? 'not running' : await stopProcess(pid, 30_000);
    removeFile(s.paths.pidFiles.kafka);
    return result;
  },
};
