import { describe, expect, it } from 'vitest';
import { MemoryEventLog } from '../../src/log/memory/memory-event-log.ts';
import { eventLogContract, messages } from './event-log-contract.ts';

describe('MemoryEventLog', () => {
  eventLogContract(async () => ({ log: new MemoryEventLog(), settleMs: 5 }));

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
});
