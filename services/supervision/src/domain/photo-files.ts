import { createHash } from 'node:crypto';
import { PHOTO_MAX_BYTES, type PhotoContentType } from '@linli/contracts';
import { ValidationError } from '@linli/http';

/** The first bytes each accepted image type must start with: the declared type has to be the real one. */
const MAGIC: Record<PhotoContentType, Buffer> = {
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
};

/** Decodes an uploaded photo and checks it: at most 5 MB, bytes matching the content type. */
export function decodePhoto(input: { contentType: PhotoContentType; dataBase64: string }): { bytes: Buffer; sha256: string } {
  const bytes = Buffer.from(input.dataBase64, 'base64');
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw new ValidationError('照片超过 5 MB (photo larger than 5 MB)', [
      { path: 'body.dataBase64', message: `decoded size ${bytes.length} bytes exceeds ${PHOTO_MAX_BYTES}` },
    ]);
  }
  const magic = MAGIC[input.contentType];
  if (bytes.length < magic.length || !bytes.subarray(0, magic.length).equals(magic)) {
    throw new ValidationError('照片内容与类型不符 (file content does not match its content type)', [
      { path: 'body.dataBase64', message: `the bytes are not a ${input.contentType} file` },
    ]);
  }
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}
