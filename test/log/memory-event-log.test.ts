import { describe, expect, it } from 'vitest';
import { MemoryEventLog } from '../../src/log/memory/memory-event-log.ts';
import { partitionFor } from '../../src/log/partitioner.ts';
import type { LogConsumer, LogRecord } from '../../src/log/event-log.ts';
import { chat } from '../support/chat.ts';

const T0 = 1_700_000_000_000;
const messages = (count: number, channels = 4) =>
  Array.from({ length: count }, (_, i) => {
    const event = chat({ ts: T0 + i * 100, channel_id: `c${i % channels}` });
    return { key: event.channel_id, value: event };
  });

async function drain(consumer: LogConsumer): Promise<LogRecord[]> {
  const all: LogRecord[] = [];
  for (;;) {
    const batch = await consumer.poll({ maxRecords: 100, maxWaitMs: 5 });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

describe('MemoryEventLog', () => {
  it('partitions by key with Kafka placement and keeps order within a partition', async () => {
    const log = new MemoryEventLog();
    await log.createTopic('chat', 4);
    await log.send('chat', messages(400));
    const consumer = await log.consumer({ groupId: 'g', topics: ['chat'] });
    const records = await drain(consumer);
    expect(records).toHaveLength(400);
    for (const record of records) expect(record.partition).toBe(partitionFor(record.key, 4));
    for (const partition of [0, 1, 2, 3]) {
      const offsets = records.filter((r) => r.partition === partition).map((r) => r.offset);
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('resumes a group from its committed offsets, not from what was only polled', async () => {
    const log = new MemoryEventLog();
    await log.createTopic('chat', 2);
    await log.send('chat', messages(100));
    const first = await log.consumer({ groupId: 'g', topics: ['chat'] });
    const polled = await first.poll({ maxRecords: 30, maxWaitMs: 5 });
    await first.commit(polled.map((r) => ({ ...r, offset: r.offset + 1 })));
    await first.poll({ maxRecords: 30, maxWaitMs: 5 }); // polled, never committed
    await first.close();
    const second = await log.consumer({ groupId: 'g', topics: ['chat'] });
    expect(await drain(second)).toHaveLength(70);
  });

  it('shares partitions within a group and gives every group everything', async () => {
    const log = new MemoryEventLog();
    await log.createTopic('chat', 6);
    const assigned: number[][] = [];
    const a = await log.consumer({ groupId: 'g', topics: ['chat'] });
    const b = await log.consumer({
      groupId: 'g',
      topics: ['chat'],
      onAssign: (tps) => void assigned.push(tps.map((tp) => tp.partition)),
    });
    const other = await log.consumer({ groupId: 'h', topics: ['chat'] });
    expect(a.assignment()).toHaveLength(3);
    expect(b.assignment()).toHaveLength(3);
    expect(assigned).toEqual([[3, 4, 5]]);
    await log.send('chat', messages(300, 30));
    const [fromA, fromB, fromOther] = await Promise.all([drain(a), drain(b), drain(other)]);
    expect(fromA.length + fromB.length).toBe(300);
    expect(fromOther).toHaveLength(300);
    await b.close();
    expect(a.assignment()).toHaveLength(6);
  });

  it('seeks to the first record at or after a time', async () => {
    const log = new MemoryEventLog();
    await log.createTopic('chat', 1);
    await log.send('chat', messages(50, 1));
    const consumer = await log.consumer({ groupId: 'g', topics: ['chat'] });
    await drain(consumer);
    await consumer.seekToTimestamp(T0 + 4_000);
    const replayed = await drain(consumer);
    expect(replayed[0]!.offset).toBe(40);
    expect(replayed).toHaveLength(10);
  });

  it('makes producers wait while a group is too far behind, and resume once it commits', async () => {
    const log = new MemoryEventLog({ maxUncommittedPerPartition: 10 });
    await log.createTopic('chat', 1);
    const consumer = await log.consumer({ groupId: 'g', topics: ['chat'] });
    let sent = false;
    const sending = log.send('chat', messages(15, 1)).then(() => (sent = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toBe(false);
    await consumer.poll({ maxRecords: 10, maxWaitMs: 5 });
    await consumer.commit();
    await sending;
    expect(sent).toBe(true);
  });

  it('wakes a waiting poll when records arrive', async () => {
    const log = new MemoryEventLog();
    await log.createTopic('chat', 1);
    const consumer = await log.consumer({ groupId: 'g', topics: ['chat'] });
    const polling = consumer.poll({ maxRecords: 10, maxWaitMs: 5_000 });
    await log.send('chat', messages(3, 1));
    expect(await polling).toHaveLength(3);
  });

  it('rejects unknown topics with a clear error', async () => {
    const log = new MemoryEventLog();
    await expect(log.send('nope', messages(1))).rejects.toThrow(/unknown topic nope/);
  });
});
