// The Kafka event log against a real broker: the EventLog contract, and what only Kafka has
// (topic settings, records written by other clients).
import { randomBytes } from 'node:crypto';
import { Admin, Producer } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { KafkaEventLog } from '../../src/log/kafka/kafka-event-log.ts';
import { CHAT_TOPIC, KAFKA_TOPIC_DEFAULTS } from '../../src/log/topics.ts';
import { testKafka } from '../support/kafka.ts';
import { eventLogContract, messages, readCount } from './event-log-contract.ts';

const { brokers } = testKafka();
const logs: KafkaEventLog[] = [];
const open = () => {
  const log = new KafkaEventLog({ brokers: brokers!, clientId: 'streamscout-test' });
  logs.push(log);
  return log;
};

afterAll(async () => {
  for (const log of logs) await log.close();
});

describe.skipIf(brokers === undefined)('KafkaEventLog', () => {
  eventLogContract(async () => ({ log: open(), settleMs: 500 }));

  it('creates topics with their documented partitions and retention', async () => {
    const log = open();
    // The real names: other files use fresh ones, and a second create must leave these alone.
    for (const [topic, defaults] of Object.entries(KAFKA_TOPIC_DEFAULTS)) {
      await log.createTopic(topic, defaults.partitions);
      await log.createTopic(topic, defaults.partitions);
    }
    const admin = new Admin({ clientId: 'streamscout-test', bootstrapBrokers: brokers! });
    try {
      const metadata = await admin.metadata({ topics: Object.keys(KAFKA_TOPIC_DEFAULTS) });
      expect(metadata.topics.get(CHAT_TOPIC)?.partitionsCount).toBe(20);
      const configs = await admin.describeConfigs({
        resources: Object.keys(KAFKA_TOPIC_DEFAULTS).map((name) => ({
          resourceType: 2, // TOPIC
          resourceName: name,
          configurationKeys: ['retention.ms'],
        })),
      });
      const retention = Object.fromEntries(
        configs.map((resource) => [resource.resourceName, Number(resource.configs[0]?.value)]),
      );
      expect(retention).toEqual({
        'chat-messages': 6 * 3_600_000,
        'stream-lifecycle': 7 * 86_400_000,
      });
    } finally {
      await admin.close();
    }
  });

  it('keeps call order within a partition when sends are not awaited one by one', async () => {
    // Sends overlap on their way to the broker (producer lanes): call order must hold anyway.
    // The first send is to a topic whose metadata is not known yet, so later ones could overtake.
    const log = open();
    const topic = `chat-${randomBytes(4).toString('hex')}`;
    await log.createTopic(topic, 8);
    const all = messages(1600, 40);
    await Promise.all([0, 1, 2, 3].map((i) => log.send(topic, all.slice(i * 400, (i + 1) * 400))));
    const consumer = await log.consumer({
      groupId: `g-${randomBytes(4).toString('hex')}`,
      topics: [topic],
    });
    const records = await readCount(consumer, 1600);
    await consumer.close();
    expect(records).toHaveLength(1600);
    for (let partition = 0; partition < 8; partition++) {
      const times = records.filter((r) => r.partition === partition).map((r) => r.value.ts);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('skips and counts a record that is not a valid event, and reads on', async () => {
    let rejected = 0;
    const log = new KafkaEventLog({ brokers: brokers!, onRejected: () => (rejected += 1) });
    logs.push(log);
    const topic = `chat-${randomBytes(4).toString('hex')}`;
    await log.createTopic(topic, 1);
    await log.send(topic, messages(2, 1));
    const stranger = new Producer({ clientId: 'someone-else', bootstrapBrokers: brokers! });
    await stranger.send({
      messages: [
        { topic, partition: 0, key: Buffer.from('c0'), value: Buffer.from('{"not": "an event"}') },
        { topic, partition: 0, key: Buffer.from('c0'), value: Buffer.from('not json') },
      ],
    });
    await stranger.close();
    await log.send(topic, messages(1, 1));
    const consumer = await log.consumer({ groupId: `g-${topic}`, topics: [topic] });
    const records = [];
    for (let i = 0; i < 20 && records.length < 3; i++) {
      records.push(...(await consumer.poll({ maxRecords: 10, maxWaitMs: 200 })));
    }
    expect(records.map((r) => r.offset)).toEqual([0, 1, 4]);
    expect(rejected).toBe(2);
    await consumer.commit();
    expect(await consumer.lag()).toBe(0);
  });
});
