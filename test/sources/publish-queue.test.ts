import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/events/schema.ts';
import { PublishQueue } from '../../src/sources/publish-queue.ts';
import { chat } from '../support/chat.ts';

/** A sink that refuses the next `failures` batches, and timers fired by hand. */
function harness(options: { failures?: number; capacity?: number } = {}) {
  let failures = options.failures ?? 0;
  const published: string[][] = [];
  const timers: { callback: () => void; ms: number }[] = [];
  const dropped: number[] = [];
  const queue = new PublishQueue({
    sink: {
      publish: async (events: StreamEvent[]) => {
        if (failures > 0) {
          failures -= 1;
          throw new Error('log unavailable');
        }
        published.push(events.map((event) => (event.type === 'chat' ? event.text : event.type)));
      },
    },
    capacity: options.capacity,
    onDropped: (count) => dropped.push(count),
    setTimeout: (callback, ms) => timers.push({ callback, ms }),
    clearTimeout: () => {},
  });
  const push = (...texts: string[]): void => {
    for (const text of texts) queue.push(chat({ text, ts: 0 }));
  };
  /** Fires the newest retry timer and lets the publish settle. */
  const retry = async (): Promise<number> => {
    const timer = timers.pop();
    if (timer === undefined) throw new Error('no retry scheduled');
    timer.callback();
    await settle();
    return timer.ms;
  };
  return { queue, published, timers, dropped, push, retry };
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn++) await nextTurn();
}

describe('PublishQueue', () => {
  it('publishes what arrives in one turn as one batch, in arrival order', async () => {
    const h = harness();
    h.push('a', 'b', 'c');
    await settle();
    h.push('d');
    await settle();
    expect(h.published).toEqual([['a', 'b', 'c'], ['d']]);
    expect(h.queue.pending).toBe(0);
  });

  it('keeps a refused batch and retries with growing delays, still in order', async () => {
    const h = harness({ failures: 2 });
    h.push('a', 'b');
    await settle();
    expect(h.published).toEqual([]);
    h.push('c'); // arrives while the log is down: waits for the retry, behind a and b
    await settle();
    expect(await h.retry()).toBe(500);
    expect(h.published).toEqual([]);
    expect(await h.retry()).toBe(1000);
    expect(h.published).toEqual([['a', 'b', 'c']]);
    expect(h.timers).toEqual([]);
    h.push('d');
    await settle();
    expect(h.published).toEqual([['a', 'b', 'c'], ['d']]);
  });

  it('drops the oldest events only when the log stays down past its capacity, and counts them', async () => {
    const h = harness({ failures: 1, capacity: 3 });
    h.push('a', 'b');
    await settle();
    h.push('c', 'd', 'e');
    expect(h.dropped).toEqual([1, 1]);
    await h.retry();
    expect(h.published).toEqual([['c', 'd', 'e']]);
  });

  it('drains once on stop and schedules no retry after that', async () => {
    const h = harness({ failures: 5 });
    h.push('a');
    await settle();
    expect(h.timers).toHaveLength(1);
    await h.queue.drain();
    expect(h.queue.pending).toBe(1);
    expect(h.timers).toHaveLength(1); // only the one scheduled before the drain
    const ok = harness();
    ok.push('x', 'y');
    await ok.queue.drain();
    expect(ok.published).toEqual([['x', 'y']]);
  });
});
