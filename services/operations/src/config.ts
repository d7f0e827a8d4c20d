import { assertAuthConfigSafe, authConfigShape } from '@linli/auth';
import { baseServiceConfig, databaseUrl, loadConfig, text } from '@linli/config';
import { assertTemporalCodecConfigSafe, taskQueue, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';

export const OperationsConfigSchema = baseServiceConfig(4000).extend({
  ...authConfigShape,
  ...temporalCodecConfigShape,
  DATABASE_URL: databaseUrl({ default: 'postgresql://postgres@127.0.0.1:55432/linli_operations' }),
  /** The Temporal web UI, for the link on each project page. */
  TEMPORAL_UI_URL: z.url().default('http://127.0.0.1:8233'),
  /** Lifecycles are listed from this task queue (the deployment's lifecycle queue). */
  LIFECYCLE_TASK_QUEUE: text({ default: '' }),
  /** How often the reconciler compares the read model with Temporal visibility; 0 = only at start. */
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Reconcile once right after start (backfills a new or long-stopped deployment). */
  RECONCILE_AT_START: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  /** A state query that no worker answers within this long falls back to visibility. */
  LIFECYCLE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Live stream heartbeat (SSE comment) interval. */
  STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Where the built console is; empty = web/dist beside this service. */
  CONSOLE_DIR: text({ default: '' }),
  /**
   * Browser origins that may call /codec (the Temporal UI's Data Encoder), comma-separated; empty = the
   * origin of TEMPORAL_UI_URL, under both 127.0.0.1 and localhost.
   */
  CODEC_ALLOWED_ORIGINS: text({ default: '' }).transform((v, ctx) => {
    const origins = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const origin of origins) {
      if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
        ctx.addIssue({ code: 'custom', message: `expected origins like http://127.0.0.1:8233, got ${JSON.stringify(origin)}` });
        return z.NEVER;
      }
    }
    return origins;
  }),
});
export type OperationsConfig = z.infer<typeof OperationsConfigSchema>;

/** The UI's origin, also under the other name of this machine (browsers tell 127.0.0.1 and localhost apart). */
function uiOrigins(uiUrl: string): string[] {
  const url = new URL(uiUrl);
  const twin = url.hostname === '127.0.0.1' ? 'localhost' : url.hostname === 'localhost' ? '127.0.0.1' : null;
  return twin ? [url.origin, `${url.protocol}//${twin}${url.port ? `:${url.port}` : ''}`] : [url.origin];
}

export function loadOperationsConfig(env: NodeJS.ProcessEnv = process.env): OperationsConfig {
  const config = loadConfig(OperationsConfigSchema, env);
  assertAuthConfigSafe(config);
  assertTemporalCodecConfigSafe(config);
  return {
    ...config,
    LIFECYCLE_TASK_QUEUE: config.LIFECYCLE_TASK_QUEUE || taskQueue('lifecycle'),
    CODEC_ALLOWED_ORIGINS: config.CODEC_ALLOWED_ORIGINS.length > 0 ? config.CODEC_ALLOWED_ORIGINS : uiOrigins(config.TEMPORAL_UI_URL),
  };
}
