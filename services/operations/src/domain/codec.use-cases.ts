import { authorize, type Principal } from '@linli/auth';
import type { CodecPayload } from '@linli/contracts';
import { ValidationError } from '@linli/http';
import type { Logger } from '@linli/logger';
import { PayloadDecryptionError } from '@linli/temporal';
import type { Payload, PayloadCodec } from '@temporalio/common';

/**
 * The remote codec for the Temporal UI (and `temporal … --codec-endpoint`): Temporal holds payloads sealed
 * by the deployment's codec; an operator or admin sees them in clear through this, nobody else.
 */
export interface CodecDeps {
  codec: PayloadCodec;
  /** The one namespace whose keys this deployment holds. */
  namespace: string;
  log: Logger;
}

const toBytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const toBase64 = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('base64');

function fromWire(payload: CodecPayload): Payload {
  const metadata: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(payload.metadata)) metadata[key] = toBytes(value);
  return { metadata, data: toBytes(payload.data ?? '') };
}

function toWire(payload: Payload): CodecPayload {
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload.metadata ?? {})) metadata[key] = toBase64(value);
  return { metadata, data: toBase64(payload.data) };
}

export async function convertPayloads(
  deps: CodecDeps,
  caller: Principal,
  direction: 'decode' | 'encode',
  input: { namespace: string | undefined; payloads: CodecPayload[] },
): Promise<CodecPayload[]> {
  authorize(caller, 'temporal.payload.codec');
  if (input.namespace !== undefined && input.namespace !== deps.namespace) {
    throw new ValidationError(`此编解码服务只服务命名空间 ${deps.namespace} (this codec serves namespace ${deps.namespace} only)`, [
      { path: 'headers.x-namespace', message: `expected ${deps.namespace}, got ${input.namespace}` },
    ]);
  }
  const payloads = input.payloads.map(fromWire);
  let converted: Payload[];
  if (direction === 'encode') {
    converted = await deps.codec.encode(payloads);
  } else {
    // One by one, so a payload that cannot be opened is named by its position.
    converted = [];
    for (const [i, payload] of payloads.entries()) {
      try {
        converted.push(...(await deps.codec.decode([payload])));
      } catch (error) {
        if (!(error instanceof PayloadDecryptionError)) throw error;
        throw new ValidationError('无法解密 (a payload cannot be decoded)', [{ path: `body.payloads[${i}]`, message: error.message }]);
      }
    }
  }
  // Who looked, never what: the payloads are the personal data this endpoint exists to protect.
  deps.log.info({ userId: caller.userId, role: caller.role, namespace: deps.namespace, direction, payloads: payloads.length }, `temporal payloads ${direction}d for the UI`);
  return converted.map(toWire);
}
