import { assertAuthConfigSafe, authConfigShape } from '@linli/auth';
import { baseServiceConfig, databaseUrl, loadConfig } from '@linli/config';
import { assertTemporalCodecConfigSafe, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';

export const OrganizationsConfigSchema = baseServiceConfig(4002).extend({
  /** Forward this service's lifecycle steps to the project workflows (off only in tests that have none). */
  LIFECYCLE_BRIDGE: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  ...authConfigShape,
  ...temporalCodecConfigShape,
  DATABASE_URL: databaseUrl({ default: 'postgresql://postgres@127.0.0.1:55432/linli_organizations' }),
});
export type OrganizationsConfig = z.infer<typeof OrganizationsConfigSchema>;

export function loadOrganizationsConfig(env: NodeJS.ProcessEnv = process.env): OrganizationsConfig {
  const config = loadConfig(OrganizationsConfigSchema, env);
  assertAuthConfigSafe(config);
  assertTemporalCodecConfigSafe(config);
  return config;
}
