import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

/**
 * The payload codec every Temporal client and worker of Linli uses: workflow inputs, results, update and
 * query payloads, activity arguments, failures' messages and the current details are sealed before they
 * leave the process, so the Temporal server (its database, its UI, `temporal workflow show`) holds
 * ciphertext only. Participants' phone numbers and reviewers' free-text reasons are personal data.
 *
 * - AES-256-GCM (authenticated): a flipped bit or a ciphertext moved under another key id fails to open
 *   instead of decoding to garbage. A fresh 12-byte IV per payload; data = iv (12) | tag (16) | ciphertext.
 * - The sealed content is the whole original Payload (metadata and data, protobuf-encoded), so the
 *   original encoding (json/plain, binary/null …) comes back exactly.
 * - The key id travels in the payload's metadata: new payloads use the current key; payloads sealed with
 *   a retired key are still opened while that key stays configured, so keys rotate without a migration.
 * - Payloads that are not ours (written before the codec existed) pass through decode unchanged, so
 *   running workflows and recorded histories keep working.
 */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeyring {
  currentKeyId: string;
  /** keyId → 32-byte key; must contain currentKeyId. */
  keys: Record<string, Buffer>;
}

/** A payload could not be opened: a key that is not configured, or a ciphertext that fails authentication. */
export class PayloadDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadDecryptionError';
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : '');

/** The key id is authenticated with the ciphertext: relabelling a payload makes it fail. */
const aadOf = (keyId: string) => Buffer.from(`linli/temporal-payload/v1/${keyId}`, 'utf8');

export function isEncryptedPayload(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}

export function createPayloadCodec({ currentKeyId, keys }: PayloadKeyring): PayloadCodec {
  for (const [id, key] of Object.entries(keys)) {
    if (key.length !== 32) throw new Error(`Temporal payload key ${id} must be 32 bytes`);
  }
  const current = keys[currentKeyId];
  if (!current) throw new Error(`Temporal payload key ${currentKeyId} is not in the keyring`);

  const seal = (payload: Payload): Payload => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', current, iv);
    cipher.setAAD(aadOf(currentKeyId));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(currentKeyId) },
      data: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), encrypted])),
    };
  };

  const open = (payload: Payload): Payload => {
    if (!isEncryptedPayload(payload)) return payload;
    const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
    const key = keys[keyId];
    if (!key) {
      throw new PayloadDecryptionError(
        `Temporal payload was sealed with key "${keyId}", which is not configured (TEMPORAL_CODEC_KEY_ID / TEMPORAL_CODEC_PREVIOUS_KEYS)`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`Temporal payload sealed with key "${keyId}" is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(aadOf(keyId));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      const inner = temporal.api.common.v1.Payload.decode(plain);
      return { metadata: inner.metadata ?? {}, data: inner.data ?? new Uint8Array() };
    } catch {
      throw new PayloadDecryptionError(`Temporal payload sealed with key "${keyId}" failed authentication (tampered, or a different key under that id)`);
    }
  };

  return {
    async encode(payloads) {
      return payloads.map(seal);
    },
    async decode(payloads) {
      return payloads.map(open);
    },
  };
}
