import { assertAuthConfigSafe, authConfigShape } from '@linli/auth';
import { baseServiceConfig, databaseUrl, loadConfig } from '@linli/config';
import { assertTemporalCodecConfigSafe, temporalCodecConfigShape } from '@linli/temporal';
import { z } from 'zod';

/**
 * Development keys for participants' phone numbers. Anyone reading this repository knows them, so they
 * are refused in production (assertSupervisionConfigSafe); real deployments pass their own 32-byte keys.
 */
export const DEV_PII_ENCRYPTION_KEY = Buffer.from('linli-dev-pii-key-not-for-prod!!', 'utf8').toString('base64');
export const DEV_PII_HMAC_KEY = Buffer.from('linli-dev-pii-hmac-not-for-prod!', 'utf8').toString('base64');

/** A base64 key that must decode to exactly 32 bytes. The value is never echoed in errors. */
const key32 = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim();
      const bytes = Buffer.from(value, 'base64');
      if (bytes.length !== 32 || bytes.toString('base64') !== value.replace(/\s/g, '')) {
        ctx.addIssue({ code: 'custom', message: 'expected 32 bytes, base64-encoded' });
        return z.NEVER;
      }
      return value;
    });

/** `keyId:base64,keyId:base64` — retired keys still needed to decrypt numbers sealed before a rotation. */
const previousKeys = z
  .string()
  .optional()
  .transform((raw, ctx) => {
    const keys: Record<string, string> = {};
    for (const entry of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const [id, value] = entry.split(':');
      if (!id || !value || Buffer.from(value, 'base64').length !== 32) {
        ctx.addIssue({ code: 'custom', message: 'expected keyId:base64(32 bytes), comma-separated' });
        return z.NEVER;
      }
      keys[id] = value;
    }
    return keys;
  });

const ratio = (def: number) => z.coerce.number().gt(0).max(1).default(def);

export const SupervisionConfigSchema = baseServiceConfig(4004).extend({
  /** Forward this service's lifecycle steps to the project workflows (off only in tests that have none). */
  LIFECYCLE_BRIDGE: z.enum(['true', 'false', '1', '0']).default('true').transform((v) => v === 'true' || v === '1'),
  ...authConfigShape,
  ...temporalCodecConfigShape,
  DATABASE_URL: databaseUrl({ default: 'postgresql://postgres@127.0.0.1:55432/linli_supervision' }),
  /** AES-256-GCM key for participants' phone numbers (32 bytes, base64). */
  PII_ENCRYPTION_KEY: key32(DEV_PII_ENCRYPTION_KEY),
  /** Stored beside every ciphertext, so numbers sealed with an older key can still be opened after a rotation. */
  PII_ENCRYPTION_KEY_ID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('dev-1'),
  PII_PREVIOUS_KEYS: previousKeys,
  /** HMAC key for look-ups and duplicate detection without decrypting. Never rotated with the encryption key. */
  PII_HMAC_KEY: key32(DEV_PII_HMAC_KEY),
  /** 电话回访抽样: share of each sign-in sheet called back, and the minimum (or all, when fewer). */
  CALLBACK_SAMPLE_RATE: ratio(0.1),
  CALLBACK_SAMPLE_MIN: z.coerce.number().int().min(1).default(3),
  /** A held activity below this share of its target headcount is flagged (blocking verification). */
  HEADCOUNT_MIN_RATIO: ratio(0.8),
  /** A call-back discrepancy rate above this is flagged (blocking verification). */
  DISCREPANCY_MAX_RATE: ratio(0.2),
});
export type SupervisionConfig = z.infer<typeof SupervisionConfigSchema>;

/** Refuses the development PII keys in production (on top of the auth checks). */
export function assertSupervisionConfigSafe(config: SupervisionConfig): void {
  assertAuthConfigSafe(config);
  if (config.NODE_ENV !== 'production') return;
  const problems = [
    config.PII_ENCRYPTION_KEY === DEV_PII_ENCRYPTION_KEY ? 'PII_ENCRYPTION_KEY: the development key cannot be used in production' : null,
    config.PII_HMAC_KEY === DEV_PII_HMAC_KEY ? 'PII_HMAC_KEY: the development key cannot be used in production' : null,
  ].filter(Boolean);
  if (problems.length) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}

export function loadSupervisionConfig(env: NodeJS.ProcessEnv = process.env): SupervisionConfig {
  const config = loadConfig(SupervisionConfigSchema, env);
  assertSupervisionConfigSafe(config);
  assertTemporalCodecConfigSafe(config);
  return config;
}
