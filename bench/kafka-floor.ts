// `npm run bench:kafka-floor`: what the distributed pipeline's chosen parts cost on their own,
// per record, before any of Stream Scout's work: @platformatic/kafka producing (idempotent,
// acks=all, four producers as KafkaEventLog runs them) and fetching the same pre-encoded chat
// records, and JSON both ways on them. bench:e2e's CPU breakdown is measured against these.
//
// Needs a broker: KAFKA_BROKERS (`npm run services:up` prints one). Its topic is its own and
// deleted at the end. Numbers are printed, never asserted.
import { Admin, Consumer, Producer, ProduceAcks } from '@platformatic/kafka';
import type { StreamEvent } from '../src/events/schema.ts';
import { ChatSimulator } from '../src/sources/simulator/chat-simulator.ts';

const RECORDS = Number(process.env.BENCH_FLOOR_RECORDS ?? 300_000);
const PARTITIONS = 20;
const LANES = 4;
const SEND_BATCH = 5_000;

const brokers = (process.env.KAFKA_BROKERS || process.env.KAFKA_BROKER_URL)?.split(',');
if (!brokers) {
  console.error('bench:kafka-floor needs KAFKA_BROKERS (npm run services:up prints it)');
  process.exit(2);
}

interface Encoded {
  key: Buffer;
  value: Buffer;
  timestamp: bigint;
  partition: number;
}

const cpuMicros = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return used.user + used.system;
};

function report(what: string, startedAt: number, since: NodeJS.CpuUsage, count: number): void {
  const seconds = (performance.now() - startedAt) / 1000;
  const perRecord = cpuMicros(since) / count;
  console.log(
    `${what}: ${Math.round(count / seconds).toLocaleString('en-US')} records/s, ${perRecord.toFixed(2)} µs of CPU a record`,
  );
}

function chatRecords(): { events: StreamEvent[]; encoded: Encoded[] } {
  const start = Date.now() - 3_600_000;
  const simulator = new ChatSimulator({ seed: 11, channels: 1000, startTs: start });
  const events: StreamEvent[] = [];
  for (const event of simulator.events(start, start + 86_400_000)) {
    if (event.type !== 'chat') continue;
    events.push(event);
    if (events.length === RECORDS) break;
  }
  const encoded = events.map((event, i) => ({
    key: Buffer.from(event.channel_id),
    value: Buffer.from(JSON.stringify(event)),
    timestamp: BigInt(event.ts),
    partition: i % PARTITIONS,
  }));
  return { events, encoded };
}

async function produce(topic: string, encoded: Encoded[]): Promise<void> {
  const lanes = Array.from(
    { length: LANES },
    () =>
      new Producer({
        clientId: 'streamscout-bench-floor',
        bootstrapBrokers: brokers!,
        idempotent: true,
        acks: ProduceAcks.ALL,
      }),
  );
  const since = process.cpuUsage();
  const startedAt = performance.now();
  for (let from = 0; from < encoded.length; from += SEND_BATCH) {
    const batch = encoded.slice(from, from + SEND_BATCH);
    await Promise.all(
      lanes.map((lane, index) =>
        lane.send({
          messages: batch
            .filter((record) => record.partition % LANES === index)
            .map((record) => ({ topic, ...record })),
        }),
      ),
    );
  }
  report('client, producing', startedAt, since, encoded.length);
  for (const lane of lanes) await lane.close();
}

async function fetchAll(topic: string, count: number): Promise<void> {
  const consumer = new Consumer({
    clientId: 'streamscout-bench-floor',
    bootstrapBrokers: brokers!,
    groupId: `streamscout-bench-floor-${Date.now()}`,
  });
  const metadata = await consumer.metadata({ topics: [topic] });
  const described = metadata.topics.get(topic)!;
  const positions: bigint[] = Array.from({ length: PARTITIONS }, () => 0n);
  let fetched = 0;
  const since = process.cpuUsage();
  const startedAt = performance.now();
  while (fetched < count) {
    const response = await consumer.fetch({
      node: described.partitions[0]!.leader,
      maxWaitTime: 500,
      minBytes: 1,
      maxBytes: 50 * 1024 * 1024,
      topics: [
        {
          topicId: described.id,
          partitions: positions.map((offset, partition) => ({
            partition,
            fetchOffset: offset,
            partitionMaxBytes: 1024 * 1024,
            currentLeaderEpoch: -1,
            lastFetchedEpoch: -1,
            logStartOffset: -1n,
          })),
        },
      ],
    });
    for (const { partitions } of response.responses) {
      for (const { partitionIndex, records } of partitions) {
        for (const batch of records ?? []) {
          fetched += batch.records.length;
          positions[partitionIndex] = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
        }
      }
    }
  }
  report('client, fetching', startedAt, since, count);
  await consumer.close();
}

function json(events: StreamEvent[], encoded: Encoded[]): void {
  let since = process.cpuUsage();
  let startedAt = performance.now();
  let bytes = 0;
  for (const event of events) bytes += Buffer.from(JSON.stringify(event)).length;
  report('JSON.stringify + Buffer.from', startedAt, since, events.length);
  since = process.cpuUsage();
  startedAt = performance.now();
  let parsed = 0;
  for (const record of encoded) {
    if ((JSON.parse(record.value.toString('utf8')) as StreamEvent).ts > 0) parsed += 1;
  }
  report('toString + JSON.parse', startedAt, since, parsed);
  console.log(`(${(bytes / events.length).toFixed(0)} bytes a record on average)`);
}

/** A new topic can take a moment to appear in the brokers' metadata. */
async function untilKnown(admin: Admin, topic: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const known = await admin.metadata({ topics: [topic] }).then(
      (metadata) => metadata.topics.has(topic),
      () => false,
    );
    if (known) return;
    if (Date.now() > deadline) throw new Error(`topic ${topic} did not appear in metadata`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const topic = `bench-floor-${Date.now()}`;
const admin = new Admin({ clientId: 'streamscout-bench-floor', bootstrapBrokers: brokers });
try {
  await admin.createTopics({ topics: [topic], partitions: PARTITIONS, replicas: -1 });
  await untilKnown(admin, topic);
  const { events, encoded } = chatRecords();
  await produce(topic, encoded);
  await fetchAll(topic, encoded.length);
  json(events, encoded);
} finally {
  await admin.deleteTopics({ topics: [topic] }).catch(() => {});
  await admin.close();
}
