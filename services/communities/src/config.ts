import { assertAuthConfigSafe, authConfigShape } from '@linli/auth';
import { baseServiceConfig, databaseUrl, loadConfig } from '@linli/config';
import { assertTemporalCodecConfigSafe, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';

export const CommunitiesConfigSchema = baseServiceConfig(4001).extend({
  ...authConfigShape,
  ...temporalCodecConfigShape,
  DATABASE_URL: databaseUrl({ default: 'postgresql://postgres@127.0.0.1:55432/linli_communities' }),
  /** How long onboarding waits before activating a sub-district (policy; 0 in tests). */
  ONBOARDING_ACTIVATION_DELAY_MS: z.coerce.number().int().min(0).default(2_000),
  /** Start each drafted proposal's lifecycle and forward submissions and decisions to it. */
  LIFECYCLE_BRIDGE: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  /** Deadline policy (JSON, LifecyclePolicy fields) for the lifecycles this service starts; {} = the defaults. */
  LIFECYCLE_POLICY_JSON: z
    .string()
    .default('{}')
    .transform((v, ctx) => {
      try {
        return JSON.parse(v) as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
        return z.NEVER;
      }
    }),
});
export type CommunitiesConfig = z.infer<typeof CommunitiesConfigSchema>;

export function loadCommunitiesConfig(env: NodeJS.ProcessEnv = process.env): CommunitiesConfig {
  const config = loadConfig(CommunitiesConfigSchema, env);
  assertAuthConfigSafe(config);
  assertTemporalCodecConfigSafe(config);
  return config;
}
