import { authConfigShape } from '@linli/auth';
import { loadConfig, nodeEnv } from '@linli/config';
import { assertTemporalCodecConfigSafe, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';

export const WorkerConfigSchema = z.object({
  NODE_ENV: nodeEnv(),
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('linli'),
  TEMPORAL_TASK_QUEUE_PREFIX: z.string().default(''),
  /** The same payload keys as every service: the worker decodes what clients sealed and seals what it writes. */
  ...temporalCodecConfigShape,
  /** Base URLs of the services the activities call (only through their HTTP APIs). */
  COMMUNITIES_URL: z.string().url().default('http://127.0.0.1:4001'),
  ORGANIZATIONS_URL: z.string().url().default('http://127.0.0.1:4002'),
  PAYMENTS_URL: z.string().url().default('http://127.0.0.1:4003'),
  SUPERVISION_URL: z.string().url().default('http://127.0.0.1:4004'),
  /** Lifecycle events go to Kafka (topic linli.lifecycle.events, prefixed in tests). */
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092').transform((v) => v.split(',').map((b) => b.trim()).filter(Boolean)),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Signs the worker's system token; the same secret the services verify with. */
  AUTH_JWT_SECRET: authConfigShape.AUTH_JWT_SECRET,
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** Tuning: how much the worker runs at once and how many workflows it keeps in memory. */
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().positive().default(100),
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().nonnegative().default(1000),
  /** Prometheus scrape endpoint of the worker's runtime metrics; empty turns it off. */
  WORKER_METRICS_ADDRESS: z.string().default('127.0.0.1:9464'),
  WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
});
export type WorkerConfig = z.infer<typeof WorkerConfigSchema>;

export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const config = loadConfig(WorkerConfigSchema, env);
  assertTemporalCodecConfigSafe(config);
  return config;
}
