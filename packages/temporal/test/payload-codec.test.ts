import { ConfigError } from '@linli/config';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  DEV_TEMPORAL_CODEC_KEY,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  createPayloadCodec,
  loadTemporalEnvConfig,
  payloadCodecFromConfig,
} from '../src';
import { failureConverter } from '../src/failure-converter';

const PHONE = '13933170001';
const key = (fill: string) => Buffer.alloc(32, fill);
const b64 = (fill: string) => key(fill).toString('base64');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const participant = { name: '张建国', phone: PHONE };
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value) as Payload;

describe('Temporal payload codec (AES-256-GCM)', () => {
  const codec = createPayloadCodec({ currentKeyId: 'k1', keys: { k1: key('a') } });

  it('when a payload is encoded, then it is ciphertext labelled with the key id, and decoding gives back the original exactly', async () => {
    const original = [payloadOf(participant), payloadOf(null), payloadOf('预审通过')];
    const encoded = await codec.encode(original);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe('k1');
      expect(Buffer.from(payload.data!).includes(Buffer.from(PHONE))).toBe(false);
      expect(Buffer.from(payload.data!).includes(Buffer.from('张建国'))).toBe(false);
    }
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => ({ metadata: p.metadata, data: text(p.data) }))).toEqual(original.map((p) => ({ metadata: p.metadata, data: text(p.data) })));
    expect(defaultPayloadConverter.fromPayload(decoded[0]!)).toEqual(participant);
    expect(defaultPayloadConverter.fromPayload(decoded[1]!)).toBeNull();
  });

  it('when the same value is encoded twice, then the ciphertexts differ (a fresh IV each time)', async () => {
    const [a, b] = await codec.encode([payloadOf(participant), payloadOf(participant)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('when a payload was written before the codec existed, then decoding passes it through unchanged', async () => {
    const plain = payloadOf({ projectId: 'p-1' });
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('when the key is rotated, then new payloads use the new key and payloads sealed with the old key still decode', async () => {
    const before = await codec.encode([payloadOf(participant)]);
    const rotated = createPayloadCodec({ currentKeyId: 'k2', keys: { k1: key('a'), k2: key('b') } });
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(before))[0]!)).toEqual(participant);
    const after = await rotated.encode([payloadOf(participant)]);
    expect(text(after[0]!.metadata?.[KEY_ID_METADATA])).toBe('k2');
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(after))[0]!)).toEqual(participant);
  });

  it('when a payload names a key that is not configured, then decoding fails and says which key and where to configure it', async () => {
    const sealedWithK2 = await createPayloadCodec({ currentKeyId: 'k2', keys: { k2: key('b') } }).encode([payloadOf(participant)]);
    const attempt = codec.decode(sealedWithK2);
    await expect(attempt).rejects.toThrow(PayloadDecryptionError);
    await expect(codec.decode(sealedWithK2)).rejects.toThrow('sealed with key "k2", which is not configured (TEMPORAL_CODEC_KEY_ID / TEMPORAL_CODEC_PREVIOUS_KEYS)');
  });

  it('when a ciphertext byte is flipped, then decoding fails authentication instead of returning garbage', async () => {
    const [sealed] = await codec.encode([payloadOf(participant)]);
    const data = Buffer.from(sealed!.data!);
    data[data.length - 1] = data[data.length - 1]! ^ 0x01;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow('sealed with key "k1" failed authentication');
  });

  it('when a payload is relabelled with another configured key id, or a different key hides under its id, then decoding fails', async () => {
    const [sealed] = await codec.encode([payloadOf(participant)]);
    const both = createPayloadCodec({ currentKeyId: 'k1', keys: { k1: key('a'), k2: key('a') } });
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('k2') } };
    await expect(both.decode([relabelled])).rejects.toThrow(PayloadDecryptionError);
    const impostor = createPayloadCodec({ currentKeyId: 'k1', keys: { k1: key('z') } });
    await expect(impostor.decode([sealed!])).rejects.toThrow('failed authentication');
  });

  it('when a sealed payload is cut short, then decoding says it is truncated', async () => {
    const [sealed] = await codec.encode([payloadOf(participant)]);
    await expect(codec.decode([{ ...sealed!, data: sealed!.data!.subarray(0, 10) }])).rejects.toThrow('truncated');
  });

  it("when a failure is converted, then its message and stack move into a payload the codec seals", async () => {
    const failure = failureConverter.errorToFailure(new Error(`回访电话 ${PHONE} 无人接听`), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(failure.stackTrace).toBe('');
    const [sealed] = await codec.encode([failure.encodedAttributes!]);
    expect(Buffer.from(sealed!.data!).includes(Buffer.from(PHONE))).toBe(false);
    const [opened] = await codec.decode([sealed!]);
    const error = failureConverter.failureToError({ ...failure, encodedAttributes: opened }, defaultPayloadConverter);
    expect(error.message).toBe(`回访电话 ${PHONE} 无人接听`);
  });
});

describe('Temporal payload codec configuration', () => {
  const env = { TEMPORAL_ADDRESS: '127.0.0.1:7233', TEMPORAL_NAMESPACE: 'linli' };

  it('when nothing is configured outside production, then the development key is current under id dev-1', async () => {
    const config = loadTemporalEnvConfig({ ...env, NODE_ENV: 'test' });
    expect(config).toMatchObject({ TEMPORAL_CODEC_KEY: DEV_TEMPORAL_CODEC_KEY, TEMPORAL_CODEC_KEY_ID: 'dev-1', TEMPORAL_CODEC_PREVIOUS_KEYS: {} });
    const [sealed] = await payloadCodecFromConfig(config).encode([payloadOf(participant)]);
    expect(text(sealed!.metadata?.[KEY_ID_METADATA])).toBe('dev-1');
  });

  it('when production runs with the development key, then the process refuses to start', () => {
    expect(() => loadTemporalEnvConfig({ ...env, NODE_ENV: 'production' })).toThrow('TEMPORAL_CODEC_KEY: the development key cannot be used in production');
    expect(loadTemporalEnvConfig({ ...env, NODE_ENV: 'production', TEMPORAL_CODEC_KEY: b64('p') }).TEMPORAL_CODEC_KEY).toBe(b64('p'));
  });

  it('when a rotation is configured, then what the old key sealed decodes with the new configuration', async () => {
    const old = payloadCodecFromConfig(loadTemporalEnvConfig({ ...env, TEMPORAL_CODEC_KEY: b64('o'), TEMPORAL_CODEC_KEY_ID: 'k-2025' }));
    const sealed = await old.encode([payloadOf(participant)]);
    const rotated = payloadCodecFromConfig(
      loadTemporalEnvConfig({ ...env, TEMPORAL_CODEC_KEY: b64('n'), TEMPORAL_CODEC_KEY_ID: 'k-2026', TEMPORAL_CODEC_PREVIOUS_KEYS: `k-2025:${b64('o')}` }),
    );
    expect(defaultPayloadConverter.fromPayload((await rotated.decode(sealed))[0]!)).toEqual(participant);
  });

  it('when a key is malformed or the current id is listed as retired with another key, then the configuration is refused', () => {
    expect(() => loadTemporalEnvConfig({ ...env, TEMPORAL_CODEC_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadTemporalEnvConfig({ ...env, TEMPORAL_CODEC_KEY: b64('n'), TEMPORAL_CODEC_KEY_ID: 'k1', TEMPORAL_CODEC_PREVIOUS_KEYS: `k1:${b64('o')}` })).toThrow(
      'TEMPORAL_CODEC_PREVIOUS_KEYS: lists the current key id "k1" with a different key',
    );
  });
});
