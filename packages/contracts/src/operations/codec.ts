import { z } from 'zod';
import { isBase64 } from '../common/domain';

/**
 * Temporal's remote codec protocol (what the Temporal UI and `temporal --codec-endpoint` send to
 * `<endpoint>/decode` and `<endpoint>/encode`): Payloads as protobuf JSON, bytes in base64.
 */
// One pass, not a pattern: megabytes of text can exhaust V8's regexp backtracking stack (see isBase64).
const Base64 = z
  .string()
  .max(4_000_000, { abort: true })
  .refine((text) => text === '' || isBase64(text), { error: 'expected base64' })
  .meta({ pattern: '^[A-Za-z0-9+/]*={0,2}$' });

export const CodecPayload = z.object({
  metadata: z.record(z.string().max(200), Base64).default({}).describe('元数据（base64），如 encoding'),
  data: Base64.optional().describe('内容（base64）'),
});
export type CodecPayload = z.infer<typeof CodecPayload>;

export const CodecPayloads = z.object({
  payloads: z.array(CodecPayload).max(1_000).describe('Temporal Payloads（protobuf JSON）'),
});
export type CodecPayloads = z.infer<typeof CodecPayloads>;
