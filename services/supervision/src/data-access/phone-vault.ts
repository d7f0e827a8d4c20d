import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * How participants' phone numbers are kept at rest (personal data, DOMAIN.md).
 *
 * - Sealed with AES-256-GCM: a fresh 12-byte IV per number, stored as iv (12) | auth tag (16) | ciphertext.
 *   The row id is the additional authenticated data, so a ciphertext copied onto another participant's row
 *   fails to open instead of revealing the wrong person's number.
 * - The id of the sealing key is stored beside the ciphertext; retired keys stay in the keyring for
 *   opening, so keys can be rotated (new numbers use the current key; old ones can be re-sealed later).
 * - A keyed HMAC-SHA256 of the normalized number (separate key, never rotated with the encryption key)
 *   finds duplicates and looks numbers up without decrypting anything.
 */
export interface PhoneVault {
  seal(normalizedPhone: string, rowId: string): { ciphertext: Buffer; keyId: string };
  open(sealed: { ciphertext: Buffer; keyId: string }, rowId: string): string;
  fingerprint(normalizedPhone: string): string;
}

export interface PhoneVaultKeys {
  currentKeyId: string;
  /** keyId → 32-byte key; must contain currentKeyId. */
  keys: Record<string, Buffer>;
  hmacKey: Buffer;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createPhoneVault({ currentKeyId, keys, hmacKey }: PhoneVaultKeys): PhoneVault {
  for (const [id, key] of Object.entries(keys)) {
    if (key.length !== 32) throw new Error(`PII key ${id} must be 32 bytes`);
  }
  const current = keys[currentKeyId];
  if (!current) throw new Error(`PII key ${currentKeyId} is not in the keyring`);
  if (hmacKey.length < 32) throw new Error('PII HMAC key must be at least 32 bytes');

  return {
    seal(normalizedPhone, rowId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      cipher.setAAD(Buffer.from(rowId, 'utf8'));
      const encrypted = Buffer.concat([cipher.update(normalizedPhone, 'utf8'), cipher.final()]);
      return { ciphertext: Buffer.concat([iv, cipher.getAuthTag(), encrypted]), keyId: currentKeyId };
    },
    open({ ciphertext, keyId }, rowId) {
      const key = keys[keyId];
      if (!key) throw new Error(`PII key ${keyId} is not in the keyring (was it retired too early?)`);
      const decipher = createDecipheriv('aes-256-gcm', key, ciphertext.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(rowId, 'utf8'));
      decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
    fingerprint(normalizedPhone) {
      return createHmac('sha256', hmacKey).update(normalizedPhone, 'utf8').digest('hex');
    },
  };
}

/** The keyring from configuration (base64 keys). */
export function phoneVaultFromConfig(config: {
  PII_ENCRYPTION_KEY: string;
  PII_ENCRYPTION_KEY_ID: string;
  PII_PREVIOUS_KEYS: Record<string, string>;
  PII_HMAC_KEY: string;
}): PhoneVault {
  const keys: Record<string, Buffer> = {};
  for (const [id, value] of Object.entries(config.PII_PREVIOUS_KEYS)) keys[id] = Buffer.from(value, 'base64');
  keys[config.PII_ENCRYPTION_KEY_ID] = Buffer.from(config.PII_ENCRYPTION_KEY, 'base64');
  return createPhoneVault({ currentKeyId: config.PII_ENCRYPTION_KEY_ID, keys, hmacKey: Buffer.from(config.PII_HMAC_KEY, 'base64') });
}
