import { z } from 'zod';
import { base64Text } from '../common/domain';

/**
 * Temporal's remote codec protocol (what the Temporal UI and `temporal --codec-endpoint` send to
 * `<endpoint>/decode` and `<endpoint>/encode`): Payloads as protobuf JSON, bytes in base64.
 */
const Base64 = base64Text({ maxLength: 4_000_000, notBase64: 'expected base64', allowEmpty: true });

export const CodecPayload = z.object({
  metadata: z.record(z.string().max(200), Base64).default({}).describe('元数据（base64），如 encoding'),
  data: Base64.optional().describe('内容（base64）'),
});
export type CodecPayload = z.infer<typeof CodecPayload>;

export const CodecPayloads = z.object({
  payloads: z.array(CodecPayload).max(1_000).describe('Temporal Payloads（protobuf JSON）'),
});
export type CodecPayloads = z.infer<typeof CodecPayloads>;
