import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/events/schema.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { LiveSimulation } from '../../src/sources/live-simulation.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** A simulation whose log refuses the first `failures` publishes; the clock is moved by hand. */
function harness(failures: number) {
  let refusals = failures;
  let now = NOW;
  const published: StreamEvent[] = [];
  const retries: number[] = [];
  const simulation = new LiveSimulation({
    publisher: {
      publish: async (events: StreamEvent[]) => {
        if (refusals > 0) {
          refusals -= 1;
          throw new Error('log unavailable');
        }
        published.push(...events);
      },
    },
    seed: 5,
    channels: 3,
    backfillS: 25,
    clock: () => now,
    logger: silentLogger,
    tickMs: 5,
    retryDelayMs: (attempt) => {
      retries.push(attempt);
      return 5;
    },
  });
  const caughtUp = async (until: number): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!published.some((event) => event.ts >= until - 1_000) || refusals > 0) {
      if (Date.now() > deadline) throw new Error('the simulation did not catch up');
      await sleep(5);
    }
    await sleep(50);
  };
  const advance = (ms: number): void => {
    now += ms;
  };
  return { simulation, published, retries, caughtUp, advance };
}

const ids = (events: StreamEvent[]) =>
  events.map(
    (event) => `${event.type}:${event.channel_id}:${event.ts}:${'id' in event ? event.id : ''}`,
  );

describe('LiveSimulation', () => {
  it('keeps refused events, retries with a growing count, and goes on live, losing and repeating nothing', async () => {
    const refused = harness(3);
    const reference = harness(0);
    for (const { simulation, caughtUp, advance } of [refused, reference]) {
      simulation.start();
      await caughtUp(NOW);
      advance(3_000);
      await caughtUp(NOW + 3_000);
      await simulation.stop();
    }
    expect(refused.retries).toEqual([1, 2, 3]);
    expect(reference.retries).toEqual([]);
    expect(refused.published.length).toBeGreaterThan(0);
    expect(refused.published.some((event) => event.ts >= NOW)).toBe(true);
    expect(ids(refused.published)).toEqual(ids(reference.published));
  });
});
