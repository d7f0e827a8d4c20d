import {
  ConfigError,
  base64Key,
  baseServiceConfig,
  databaseUrl,
  kafkaBrokers,
  kafkaTopicPrefix,
  keyId,
  loadConfig,
  logLevel,
  nodeEnv,
  port,
  retiredKeys,
  temporalAddress,
  temporalNamespace,
  text,
} from './index';
import { z } from 'zod';

const serviceSchema = baseServiceConfig(3001).extend({ DATABASE_URL: databaseUrl() });

const validDatabaseUrl = 'postgresql://postgres@127.0.0.1:55432/linli_projects';

function configErrorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

describe('loadConfig', () => {
  it('when only the required variables are set, then every other variable takes its documented default', () => {
    const config = loadConfig(serviceSchema, { DATABASE_URL: validDatabaseUrl });

    expect(config).toEqual({
      NODE_ENV: 'development',
      PORT: 3001,
      LOG_LEVEL: 'info',
      DATABASE_URL: validDatabaseUrl,
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'linli',
    });
  });

  it('when a service uses baseServiceConfig alone, then it gets the shared variables with their local defaults', () => {
    const config = loadConfig(baseServiceConfig(4001), {});
    // Typed, not just present: a service passes these straight on.
    const typed: { PORT: number; KAFKA_BROKERS: string[]; TEMPORAL_NAMESPACE: string } = config;
    expect(typed).toEqual({
      NODE_ENV: 'development',
      PORT: 4001,
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'linli',
    });
  });

  it('when the field builders are used on their own, then they carry the documented defaults', () => {
    const schema = z.object({
      KAFKA_BROKERS: kafkaBrokers(),
      KAFKA_TOPIC_PREFIX: kafkaTopicPrefix(),
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      LOG_LEVEL: logLevel(),
      NODE_ENV: nodeEnv(),
    });
    expect(loadConfig(schema, {})).toEqual({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      KAFKA_TOPIC_PREFIX: '',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'linli',
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
    });
  });

  it('when every variable is set, then each is parsed into its typed value', () => {
    const config = loadConfig(serviceSchema, {
      NODE_ENV: 'production',
      PORT: '8080',
      LOG_LEVEL: 'DEBUG',
      DATABASE_URL: 'postgres://app:secret@db.internal:5432/linli',
      KAFKA_BROKERS: ' kafka-1:9092 , kafka-2:9092 ,',
      KAFKA_TOPIC_PREFIX: 'staging.',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'linli-staging',
    });

    expect(config.PORT).toBe(8080);
    expect(config.NODE_ENV).toBe('production');
    expect(config.LOG_LEVEL).toBe('debug');
    expect(config.KAFKA_BROKERS).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.KAFKA_TOPIC_PREFIX).toBe('staging.');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(config.TEMPORAL_NAMESPACE).toBe('linli-staging');
  });

  it('when a variable is set to an empty string, then it counts as unset (default, or required)', () => {
    const config = loadConfig(serviceSchema, { DATABASE_URL: validDatabaseUrl, PORT: '', KAFKA_BROKERS: '' });
    expect(config.PORT).toBe(3001);
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);

    const error = configErrorOf(() => loadConfig(serviceSchema, { DATABASE_URL: '  ' }));
    expect(error.message.split('\n')).toContain('DATABASE_URL: required');
  });

  it('when the environment holds unrelated variables, then they are not copied into the config', () => {
    const config = loadConfig(serviceSchema, { DATABASE_URL: validDatabaseUrl, HOME: '/root' });
    expect(config).not.toHaveProperty('HOME');
  });

  it('when several variables are wrong or missing, then one ConfigError names every one of them, one per line', () => {
    const error = configErrorOf(() =>
      loadConfig(serviceSchema, {
        PORT: 'abc',
        NODE_ENV: 'staging',
        LOG_LEVEL: 'verbose',
        KAFKA_BROKERS: 'kafka-1',
        KAFKA_TOPIC_PREFIX: 'bad prefix',
        TEMPORAL_ADDRESS: 'temporal',
        TEMPORAL_NAMESPACE: 'has space',
      }),
    );

    const lines = error.message.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'DATABASE_URL: required',
        'PORT: expected an integer 0-65535, got "abc"',
        'NODE_ENV: expected one of development, test, production, got "staging"',
        'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
        'KAFKA_BROKERS: expected a comma-separated list of host:port, got "kafka-1"',
        'KAFKA_TOPIC_PREFIX: expected letters, digits, ".", "_" or "-", got "bad prefix"',
        'TEMPORAL_ADDRESS: expected host:port, got "temporal"',
        'TEMPORAL_NAMESPACE: expected a namespace name (letters, digits, ".", "_", "-"), got "has space"',
      ]),
    );
    expect(error.issues.map((issue) => issue.variable).sort()).toEqual(
      [
        'DATABASE_URL',
        'KAFKA_BROKERS',
        'KAFKA_TOPIC_PREFIX',
        'LOG_LEVEL',
        'NODE_ENV',
        'PORT',
        'TEMPORAL_ADDRESS',
        'TEMPORAL_NAMESPACE',
      ].sort(),
    );
    expect(error.name).toBe('ConfigError');
  });

  it.each([['65536'], ['80.5'], ['-1'], ['8080x']])(
    'when PORT is %p, then it is rejected as not an integer 0-65535',
    (value) => {
      const error = configErrorOf(() => loadConfig(z.object({ PORT: port(3000) }), { PORT: value }));
      expect(error.message).toContain(`PORT: expected an integer 0-65535, got ${JSON.stringify(value)}`);
    },
  );

  it('when DATABASE_URL is not a postgresql URL, then the error says so without echoing the value (it may hold a password)', () => {
    const schema = z.object({ DATABASE_URL: databaseUrl() });

    const wrongScheme = configErrorOf(() => loadConfig(schema, { DATABASE_URL: 'mysql://root:hunter2@db/linli' }));
    expect(wrongScheme.message).toContain('DATABASE_URL: expected a postgresql:// URL, got scheme "mysql"');
    expect(wrongScheme.message).not.toContain('hunter2');

    const notAUrl = configErrorOf(() => loadConfig(schema, { DATABASE_URL: 'hunter2 is my password' }));
    expect(notAUrl.message).toContain('DATABASE_URL: expected a postgresql:// URL');
    expect(notAUrl.message).not.toContain('hunter2');
  });

  it('when a builder is given its own default, then the default is used while the variable is unset', () => {
    const schema = z.object({
      PORT: port(4000),
      DATABASE_URL: databaseUrl({ default: validDatabaseUrl }),
      KAFKA_BROKERS: kafkaBrokers('a:1,b:2'),
      LOG_LEVEL: logLevel('warn'),
      NODE_ENV: nodeEnv('test'),
      GREETING: text({ default: 'hello' }),
    });
    expect(loadConfig(schema, {})).toEqual({
      PORT: 4000,
      DATABASE_URL: validDatabaseUrl,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      GREETING: 'hello',
    });
  });

  it('when a service adds a plain zod field and leaves it unset, then the error says "required" rather than zod wording', () => {
    const schema = z.object({ SERVICE_NAME: z.string().min(1) });
    const error = configErrorOf(() => loadConfig(schema, {}));
    expect(error.message.split('\n')).toContain('SERVICE_NAME: required');
  });

  describe('keys', () => {
    const key = (fill: string) => Buffer.alloc(32, fill).toString('base64');
    const schema = z.object({ KEY: base64Key({ bytes: 32, default: key('d') }), KEY_ID: keyId('dev-1'), OLD_KEYS: retiredKeys({ bytes: 32 }) });

    it('when nothing is set, then the default key, the default id and no retired keys are used', () => {
      expect(loadConfig(schema, {})).toEqual({ KEY: key('d'), KEY_ID: 'dev-1', OLD_KEYS: {} });
    });

    it('when a rotation is configured, then the new key and id are current and the old key is kept by its id', () => {
      expect(loadConfig(schema, { KEY: key('n'), KEY_ID: 'k-2026', OLD_KEYS: `k-2025:${key('o')}, dev-1:${key('d')}` })).toEqual({
        KEY: key('n'),
        KEY_ID: 'k-2026',
        OLD_KEYS: { 'k-2025': key('o'), 'dev-1': key('d') },
      });
    });

    it('when a key has the wrong length or is not base64, then the error says so without echoing the value', () => {
      const short = Buffer.alloc(16, 's').toString('base64');
      for (const value of [short, 'not base64 at all!!!', `${key('n')}x`]) {
        const error = configErrorOf(() => loadConfig(schema, { KEY: value }));
        expect(error.message.split('\n')).toContain('KEY: expected 32 bytes, base64-encoded');
        expect(error.message).not.toContain(value);
      }
    });

    it('when a key id or a retired key list is malformed, then each variable is named', () => {
      const error = configErrorOf(() => loadConfig(schema, { KEY_ID: 'has:colon', OLD_KEYS: `k1:${key('a')},k2` }));
      expect(error.issues.map((i) => i.variable)).toEqual(['KEY_ID', 'OLD_KEYS']);
      expect(error.message).not.toContain(key('a'));
      const twice = configErrorOf(() => loadConfig(schema, { OLD_KEYS: `k1:${key('a')},k1:${key('b')}` }));
      expect(twice.message).toContain('OLD_KEYS: key id "k1" is listed twice');
    });
  });

  it('when no env is passed, then process.env is read', () => {
    const previous = process.env.LINLI_CONFIG_TEST_VALUE;
    process.env.LINLI_CONFIG_TEST_VALUE = 'from-process-env';
    try {
      expect(loadConfig(z.object({ LINLI_CONFIG_TEST_VALUE: text() })).LINLI_CONFIG_TEST_VALUE).toBe('from-process-env');
    } finally {
      if (previous === undefined) delete process.env.LINLI_CONFIG_TEST_VALUE;
      else process.env.LINLI_CONFIG_TEST_VALUE = previous;
    }
  });
});
