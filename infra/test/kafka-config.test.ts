import { ALL_TOPICS } from '@linli/contracts';
import { renderKafkaPom, renderServerProperties, topicCreateRequests } from '../src/components/kafka.component';
import { infraSettings } from '../src/settings';

function parseProperties(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=');
      return [line.slice(0, at), line.slice(at + 1)] as const;
    });
  return Object.fromEntries(entries);
}

describe('Kafka server.properties', () => {
  const s = infraSettings({ LINLI_HOME: '/srv/linli', KAFKA_PORT: '19092', KAFKA_CONTROLLER_PORT: '19093' });
  const props = parseProperties(renderServerProperties(s));

  it('when rendered, then it is a single-node KRaft broker+controller on 127.0.0.1 with the configured ports', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:19093',
      listeners: 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:19092',
      'controller.listener.names': 'CONTROLLER',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    });
  });

  it('when rendered, then data lives in LINLI_HOME and internal topics fit one broker', () => {
    expect(props['log.dirs']).toBe('/srv/linli/data/kafka');
    expect(props['offsets.topic.replication.factor']).toBe('1');
    expect(props['transaction.state.log.replication.factor']).toBe('1');
    expect(props['transaction.state.log.min.isr']).toBe('1');
    expect(props['group.initial.rebalance.delay.ms']).toBe('0');
    expect(props['auto.create.topics.enable']).toBe('false');
  });

  it('when the pom is rendered, then it asks for the pinned broker and its log binding', () => {
    const pom = renderKafkaPom();
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId>\n      <version>3.9.1</version>');
    expect(pom).toMatch(/<artifactId>slf4j-reload4j<\/artifactId>\s*<version>1\.7\.36<\/version>\s*<scope>runtime<\/scope>/);
  });
});

describe('topicCreateRequests', () => {
  it('when given a prefix, then every declared topic is requested under it with its partitions, retention and replication 1', () => {
    const requests = topicCreateRequests('t42.');
    expect(requests).toHaveLength(ALL_TOPICS.length);
    for (const topic of ALL_TOPICS) {
      expect(requests).toContainEqual({
        topic: `t42.${topic.name}`,
        numPartitions: topic.partitions,
        replicationFactor: 1,
        configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
      });
    }
  });

  it('when the prefix is empty, then the names are the declared ones', () => {
    expect(topicCreateRequests('').map((r) => r.topic)).toEqual(ALL_TOPICS.map((t) => t.name));
  });
});
