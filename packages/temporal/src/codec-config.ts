import { base64Key, keyId, loadConfig, nodeEnv, retiredKeys, temporalAddress, temporalNamespace } from '@linli/config';
import type { PayloadCodec } from '@temporalio/common';
import { z } from 'zod';
import { createPayloadCodec } from './payload-codec';

/**
 * Development key for Temporal payloads. Anyone reading this repository knows it, so production refuses
 * it (assertTemporalCodecConfigSafe); real deployments pass their own 32-byte key.
 */
export const DEV_TEMPORAL_CODEC_KEY = Buffer.from('linli-dev-temporal-payloads-key!', 'utf8').toString('base64');

/**
 * The payload-codec part of the configuration of every process that talks to Temporal (services,
 * worker): `.extend(temporalCodecConfigShape)`. Every process must hold the same keys.
 */
export const temporalCodecConfigShape = {
  /** AES-256-GCM key for every Temporal payload (32 bytes, base64). */
  TEMPORAL_CODEC_KEY: base64Key({ bytes: 32, default: DEV_TEMPORAL_CODEC_KEY }),
  /** Written into each sealed payload's metadata, so a rotation leaves older payloads readable. */
  TEMPORAL_CODEC_KEY_ID: keyId('dev-1'),
  /** Retired keys, `keyId:base64,…`: still decode payloads sealed before a rotation (never used to encode). */
  TEMPORAL_CODEC_PREVIOUS_KEYS: retiredKeys({ bytes: 32 }),
};

export interface TemporalCodecConfig {
  NODE_ENV?: string;
  TEMPORAL_CODEC_KEY: string;
  TEMPORAL_CODEC_KEY_ID: string;
  TEMPORAL_CODEC_PREVIOUS_KEYS: Record<string, string>;
}

/** Refuses the development key in production, and a retired key listed under the current key's id. */
export function assertTemporalCodecConfigSafe(config: TemporalCodecConfig): void {
  const problems = [
    config.NODE_ENV === 'production' && config.TEMPORAL_CODEC_KEY === DEV_TEMPORAL_CODEC_KEY
      ? 'TEMPORAL_CODEC_KEY: the development key cannot be used in production'
      : null,
    config.TEMPORAL_CODEC_PREVIOUS_KEYS[config.TEMPORAL_CODEC_KEY_ID] !== undefined &&
    config.TEMPORAL_CODEC_PREVIOUS_KEYS[config.TEMPORAL_CODEC_KEY_ID] !== config.TEMPORAL_CODEC_KEY
      ? `TEMPORAL_CODEC_PREVIOUS_KEYS: lists the current key id "${config.TEMPORAL_CODEC_KEY_ID}" with a different key`
      : null,
  ].filter(Boolean);
  if (problems.length) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}

/** The codec from configuration: the current key encodes; current and retired keys decode. */
export function payloadCodecFromConfig(config: TemporalCodecConfig): PayloadCodec {
  const keys: Record<string, Buffer> = {};
  for (const [id, value] of Object.entries(config.TEMPORAL_CODEC_PREVIOUS_KEYS)) keys[id] = Buffer.from(value, 'base64');
  keys[config.TEMPORAL_CODEC_KEY_ID] = Buffer.from(config.TEMPORAL_CODEC_KEY, 'base64');
  return createPayloadCodec({ currentKeyId: config.TEMPORAL_CODEC_KEY_ID, keys });
}

const TemporalEnvSchema = z.object({
  NODE_ENV: nodeEnv(),
  TEMPORAL_ADDRESS: temporalAddress(),
  TEMPORAL_NAMESPACE: temporalNamespace(),
  ...temporalCodecConfigShape,
});
export type TemporalEnvConfig = z.output<typeof TemporalEnvSchema>;

/** Address, namespace and codec from the environment alone (tests, scripts); fails like every config. */
export function loadTemporalEnvConfig(env: NodeJS.ProcessEnv = process.env): TemporalEnvConfig {
  const config = loadConfig(TemporalEnvSchema, env);
  assertTemporalCodecConfigSafe(config);
  return config;
}
