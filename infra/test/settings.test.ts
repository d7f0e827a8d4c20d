import { join } from 'node:path';
import { infraSettings, REPO_ROOT } from '../src/settings';

describe('infraSettings', () => {
  it('when nothing is set, then it uses the documented defaults under <repo>/.linli', () => {
    const s = infraSettings({});
    expect(s.home).toBe(join(REPO_ROOT, '.linli'));
    expect(s.ports).toEqual({ postgres: 55432, kafka: 9092, kafkaController: 9093, temporal: 7233, temporalUi: 8233 });
    expect(s.postgres.adminUrl).toBe('postgresql://postgres@127.0.0.1:55432/postgres');
    expect(s.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(s.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'linli', uiUrl: 'http://127.0.0.1:8233', uiCodecEndpoint: 'http://127.0.0.1:4000/codec' });
    expect(s.topicPrefix).toBe('');
  });

  it('when ports, home and namespace are overridden, then every endpoint and path follows them', () => {
    const s = infraSettings({
      LINLI_HOME: '/tmp/elsewhere',
      PG_PORT: '6000',
      KAFKA_PORT: '6001',
      KAFKA_CONTROLLER_PORT: '6002',
      TEMPORAL_PORT: '6003',
      TEMPORAL_UI_PORT: '6004',
      TEMPORAL_NAMESPACE: 'other',
      KAFKA_TOPIC_PREFIX: 'run1.',
    });
    expect(s.postgres.adminUrl).toBe('postgresql://postgres@127.0.0.1:6000/postgres');
    expect(s.kafka.brokers).toEqual(['127.0.0.1:6001']);
    expect(s.temporal).toEqual({ address: '127.0.0.1:6003', namespace: 'other', uiUrl: 'http://127.0.0.1:6004', uiCodecEndpoint: 'http://127.0.0.1:4000/codec' });
    expect(s.topicPrefix).toBe('run1.');
    expect(s.paths.dataDirs.postgres).toBe('/tmp/elsewhere/data/postgres');
    expect(s.paths.logFiles.kafka).toBe('/tmp/elsewhere/logs/kafka.log');
    expect(s.paths.pidFiles.temporal).toBe('/tmp/elsewhere/run/temporal.pid');
    expect(s.paths.temporalBinary).toBe('/tmp/elsewhere/bin/temporal');
    expect(s.paths.kafkaLibs).toBe('/tmp/elsewhere/kafka/libs');
  });

  it('when a port is not a number, then it names the variable and the bad value', () => {
    expect(() => infraSettings({ PG_PORT: 'abc' })).toThrow("PG_PORT must be a port number between 1 and 65535, got 'abc'");
    expect(() => infraSettings({ KAFKA_PORT: '70000' })).toThrow(/KAFKA_PORT/);
  });

  it('when two components would share a port, then it refuses before anything starts', () => {
    expect(() => infraSettings({ KAFKA_PORT: '55432' })).toThrow('PG_PORT and KAFKA_PORT are both 55432; give each its own port');
  });

  it('when PG_BIN is set, then it wins over the Debian location', () => {
    expect(infraSettings({ PG_BIN: '/opt/pg/bin' }).pgBin).toBe('/opt/pg/bin');
  });
});
