// What every EventLog must do, whatever is behind it: run against the in-process log and
// against a real Kafka broker, so code written against one behaves the same on the other.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect, it } from 'vitest';
import type { EventLog, LogConsumer, LogRecord, TopicPartition } from '../../src/log/event-log.ts';
import { partitionFor } from '../../src/log/partitioner.ts';
import { chat } from '../support/chat.ts';

export const T0 = 1_700_000_000_000;

export function messages(count: number, channels = 4) {
  return Array.from({ length: count }, (_, i) => {
    const event = chat({ ts: T0 + i * 100, channel_id: `c${i % channels}` });
    return { key: event.channel_id, value: event };
  });
}

/** Reads until a poll comes back empty (an empty poll waits `maxWaitMs` for records first). */
export async function drain(consumer: LogConsumer, maxWaitMs = 5): Promise<LogRecord[]> {
  const all: LogRecord[] = [];
  for (;;) {
    const batch = await consumer.poll({ maxRecords: 100, maxWaitMs });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** Reads until `count` records came or `timeoutMs` passed. */
export async function readCount(consumer: LogConsumer, count: number, timeoutMs = 20_000) {
  const all: LogRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (all.length < count && Date.now() < deadline) {
    const maxRecords = Math.min(100, count - all.length);
    all.push(...(await consumer.poll({ maxRecords, maxWaitMs: 200 })));
  }
  return all;
}

/** Group changes settle in the background on Kafka (members rejoin on their heartbeat). */
async function eventually(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

/** The position after the last of `records` in each partition: what a processor commits. */
function nextOffsets(records: LogRecord[]) {
  const next = new Map<string, { topic: string; partition: number; offset: number }>();
  for (const { topic, partition, offset } of records) {
    const seen = next.get(`${topic}/${partition}`);
    if (!seen || seen.offset <= offset)
      next.set(`${topic}/${partition}`, { topic, partition, offset: offset + 1 });
  }
  return [...next.values()];
}

/** A record's place in the log: the same record read twice has the same one. */
const where = (record: LogRecord) => `${record.topic}/${record.partition}/${record.offset}`;

const partitionsOf = (tps: TopicPartition[]) => tps.map((tp) => tp.partition).sort((a, b) => a - b);

export interface LogUnderTest {
  log: EventLog;
  /** How long an empty poll should wait for records still on their way (0 in process). */
  settleMs: number;
}

/**
 * Registers the contract's tests. Topic and group names are fresh per test, so tests can share
 * one broker (and run beside other test files on it).
 */
export function eventLogContract(open: () => Promise<LogUnderTest>): void {
  const opened: EventLog[] = [];
  let under: LogUnderTest;
  const setUp = async () => {
    under = await open();
    opened.push(under.log);
    return under.log;
  };
  const name = (what: string) => `${what}-${randomBytes(4).toString('hex')}`;
  const drainAll = (consumer: LogConsumer) => drain(consumer, under.settleMs);

  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
  });

  it('partitions by key with Kafka placement and keeps order within a partition', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 4);
    await log.send(topic, messages(400));
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    const records = await readCount(consumer, 400);
    expect(records).toHaveLength(400);
    for (const record of records) expect(record.partition).toBe(partitionFor(record.key, 4));
    for (const partition of [0, 1, 2, 3]) {
      const inPartition = records.filter((r) => r.partition === partition);
      expect(inPartition.map((r) => r.offset)).toEqual(inPartition.map((_, i) => i));
      const times = inPartition.map((r) => r.value.ts);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
    expect(records[0]!.timestamp).toBe(records[0]!.value.ts);
  });

  it('creates a topic only once: a second create leaves it as it is', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 2);
    await log.send(topic, messages(10));
    await log.createTopic(topic, 2);
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    expect(await readCount(consumer, 10)).toHaveLength(10);
  });

  it('resumes a group from its committed offsets, not from what was only polled', async () => {
    const log = await setUp();
    const topic = name('chat');
    const group = name('g');
    await log.createTopic(topic, 2);
    await log.send(topic, messages(100));
    const first = await log.consumer({ groupId: group, topics: [topic] });
    const committed = await readCount(first, 30);
    expect(committed).toHaveLength(30);
    await first.commit(nextOffsets(committed));
    await first.poll({ maxRecords: 30, maxWaitMs: 200 }); // polled, never committed
    await first.close();
    const second = await log.consumer({ groupId: group, topics: [topic] });
    const rest = await readCount(second, 70);
    expect(rest).toHaveLength(70);
    const seen = new Set(committed.map((r) => where(r)));
    for (const record of rest) expect(seen.has(where(record))).toBe(false);
  });

  it('commits everything polled so far when no positions are given', async () => {
    const log = await setUp();
    const topic = name('chat');
    const group = name('g');
    await log.createTopic(topic, 3);
    await log.send(topic, messages(60));
    const first = await log.consumer({ groupId: group, topics: [topic] });
    expect(await readCount(first, 60)).toHaveLength(60);
    await first.commit();
    await first.close();
    await log.send(topic, messages(5));
    const second = await log.consumer({ groupId: group, topics: [topic] });
    expect(await readCount(second, 5)).toHaveLength(5);
    expect(await drainAll(second)).toEqual([]);
  });

  it('starts a new group at the end when it is not to read from the beginning', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 2);
    await log.send(topic, messages(20));
    const consumer = await log.consumer({
      groupId: name('g'),
      topics: [topic],
      fromBeginning: false,
    });
    expect(await drainAll(consumer)).toEqual([]);
    await log.send(topic, messages(4));
    expect(await readCount(consumer, 4)).toHaveLength(4);
  });

  it('shares partitions within a group, tells members of each change, and gives every group everything', async () => {
    const log = await setUp();
    const topic = name('chat');
    const group = name('g');
    await log.createTopic(topic, 6);
    const assignedToA: number[][] = [];
    const revokedFromA: number[][] = [];
    const a = await log.consumer({
      groupId: group,
      topics: [topic],
      onAssign: (tps) => void assignedToA.push(partitionsOf(tps)),
      onRevoke: (tps) => void revokedFromA.push(partitionsOf(tps)),
    });
    expect(partitionsOf(a.assignment())).toEqual([0, 1, 2, 3, 4, 5]);
    const assignedToB: number[][] = [];
    const b = await log.consumer({
      groupId: group,
      topics: [topic],
      onAssign: (tps) => void assignedToB.push(partitionsOf(tps)),
    });
    await eventually(() => a.assignment().length === 3 && b.assignment().length === 3);
    // Range assignment: consecutive partitions per member, as Kafka's RangeAssignor.
    expect([partitionsOf(a.assignment()), partitionsOf(b.assignment())].sort()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(revokedFromA[0]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(assignedToB.at(-1)).toEqual(partitionsOf(b.assignment()));
    const other = await log.consumer({ groupId: name('h'), topics: [topic] });

    await log.send(topic, messages(300, 30));
    const fromA: LogRecord[] = [];
    const fromB: LogRecord[] = [];
    const reading = readCount(other, 300);
    for (
      const deadline = Date.now() + 20_000;
      fromA.length + fromB.length < 300 && Date.now() < deadline;
    ) {
      fromA.push(...(await a.poll({ maxRecords: 100, maxWaitMs: 100 })));
      fromB.push(...(await b.poll({ maxRecords: 100, maxWaitMs: 100 })));
    }
    const fromOther = await reading;
    expect(fromA.length).toBeGreaterThan(0);
    expect(fromB.length).toBeGreaterThan(0);
    expect(fromA.length + fromB.length).toBe(300);
    expect(new Set([...fromA, ...fromB].map((r) => where(r))).size).toBe(300);
    expect(fromOther).toHaveLength(300);

    await b.close();
    await eventually(() => a.assignment().length === 6);
    expect(assignedToA.at(-1)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('delivers records a member polled but did not commit to the member that takes over', async () => {
    const log = await setUp();
    const topic = name('chat');
    const group = name('g');
    await log.createTopic(topic, 2);
    await log.send(topic, messages(40, 40));
    const a = await log.consumer({ groupId: group, topics: [topic] });
    const b = await log.consumer({ groupId: group, topics: [topic] });
    await eventually(() => a.assignment().length === 1 && b.assignment().length === 1);
    const fromB = await readCount(b, 1);
    fromB.push(...(await b.poll({ maxRecords: 100, maxWaitMs: 200 })));
    expect(fromB.length).toBeGreaterThan(0);
    await b.close(); // nothing committed
    await eventually(() => a.assignment().length === 2);
    // A rebalance resumes every partition at its committed offset, so `a` may read its own
    // uncommitted records twice: count distinct records, not polls.
    const ids = new Set<string>();
    const deadline = Date.now() + 20_000;
    while (ids.size < 40 && Date.now() < deadline) {
      for (const record of await a.poll({ maxRecords: 100, maxWaitMs: 200 }))
        ids.add(where(record));
    }
    for (const record of fromB) expect(ids.has(where(record))).toBe(true);
  });

  it('seeks to an offset and to the first record at or after a time', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 1);
    await log.send(topic, messages(50, 1));
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    expect(await readCount(consumer, 50)).toHaveLength(50);
    await consumer.seekToTimestamp(T0 + 4_000);
    const replayed = await readCount(consumer, 10);
    expect(replayed[0]!.offset).toBe(40);
    expect(replayed).toHaveLength(10);
    consumer.seek({ topic, partition: 0, offset: 48 });
    expect((await readCount(consumer, 2)).map((r) => r.offset)).toEqual([48, 49]);
    await consumer.seekToTimestamp(T0 + 60_000); // after every record: the end
    expect(await drainAll(consumer)).toEqual([]);
    expect(() => consumer.seek({ topic, partition: 7, offset: 0 })).toThrow(/not assigned/);
  });

  it('reports lag as the records between its positions and the ends of its partitions', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 2);
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    expect(await consumer.lag()).toBe(0);
    await log.send(topic, messages(30));
    expect(await consumer.lag()).toBe(30);
    expect(await readCount(consumer, 30)).toHaveLength(30);
    expect(await consumer.lag()).toBe(0);
  });

  it('wakes a waiting poll when records arrive', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 1);
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    const polling = consumer.poll({ maxRecords: 10, maxWaitMs: 5_000 });
    await sleep(50);
    const started = Date.now();
    await log.send(topic, messages(3, 1));
    const records = await polling;
    expect(records.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('returns an empty batch at once when its signal aborts', async () => {
    const log = await setUp();
    const topic = name('chat');
    await log.createTopic(topic, 1);
    const consumer = await log.consumer({ groupId: name('g'), topics: [topic] });
    const abort = new AbortController();
    const polling = consumer.poll({ maxRecords: 10, maxWaitMs: 10_000, signal: abort.signal });
    const started = Date.now();
    abort.abort();
    expect(await polling).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('rejects unknown topics with a clear error', async () => {
    const log = await setUp();
    await expect(log.send(name('nope'), messages(1))).rejects.toThrow(/unknown topic nope-/);
  });
}
