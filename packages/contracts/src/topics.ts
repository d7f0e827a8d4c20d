/**
 * The one declared list of Kafka topics. `pnpm infra up` creates exactly these; services publish
 * and consume by these names. Test runs prefix every name (see @linli/testing) so that parallel
 * runs never share a topic.
 */
export interface TopicSpec {
  /** Base name; the real topic is `${prefix}${name}`. */
  name: string;
  partitions: number;
  /** retention.ms */
  retentionMs: number;
  description: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export const TOPICS = {
  communities: { name: 'linli.communities.events', partitions: 3, retentionMs: 30 * DAY_MS, description: '社区服务事件：需求、推介会、项目申请、评审决定' },
  organizations: { name: 'linli.organizations.events', partitions: 3, retentionMs: 30 * DAY_MS, description: '社会组织事件：登记、服务清单、招投标' },
  payments: { name: 'linli.payments.events', partitions: 3, retentionMs: 30 * DAY_MS, description: '资金事件：拨付计划、拨付、冻结' },
  supervision: { name: 'linli.supervision.events', partitions: 3, retentionMs: 30 * DAY_MS, description: '第三方监督事件：活动、回访、问题、评估' },
  lifecycle: { name: 'linli.lifecycle.events', partitions: 3, retentionMs: 30 * DAY_MS, description: '项目生命周期事件：阶段变化、超时升级' },
  deadLetter: { name: 'linli.dead-letter', partitions: 1, retentionMs: 90 * DAY_MS, description: '死信：校验失败或无法处理的消息，附原因' },
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof TOPICS;

export const ALL_TOPICS: readonly TopicSpec[] = Object.values(TOPICS);

/** The real topic name for a base name under a prefix ('' outside tests). */
export function topicName(key: TopicKey, prefix = process.env.KAFKA_TOPIC_PREFIX ?? ''): string {
  return `${prefix}${TOPICS[key].name}`;
}
