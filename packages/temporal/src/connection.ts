import { Client, Connection, type DataConverter } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { loadTemporalEnvConfig, payloadCodecFromConfig, type TemporalCodecConfig } from './codec-config';

export interface TemporalSettings {
  address: string;
  namespace: string;
  /** Seals every payload (required: no Linli process talks to Temporal in clear). */
  codec: PayloadCodec;
}

/** From a process's parsed configuration (services and worker extend temporalCodecConfigShape). */
export function temporalSettingsOf(config: { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string } & TemporalCodecConfig): TemporalSettings {
  return { address: config.TEMPORAL_ADDRESS, namespace: config.TEMPORAL_NAMESPACE, codec: payloadCodecFromConfig(config) };
}

/** From the environment alone (tests and scripts). */
export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  return temporalSettingsOf(loadTemporalEnvConfig(env));
}

/** Where the failure converter lives: the worker bundles it into the workflow sandbox by path. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter of every client and worker: the codec seals payloads and failures' messages. */
export function linliDataConverter(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** One connection per process; the client is cheap and bound to our namespace. */
export async function createTemporalClient(settings: TemporalSettings): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address: settings.address, connectTimeout: '5s' });
  const client = new Client({ connection, namespace: settings.namespace, dataConverter: linliDataConverter(settings.codec) });
  return { client, connection };
}

/** A real request to the server: used by /readyz of every service that starts workflows. */
export async function pingTemporal(connection: Connection, namespace: string): Promise<void> {
  await connection.workflowService.describeNamespace({ namespace });
}
