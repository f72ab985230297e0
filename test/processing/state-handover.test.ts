// A processor that takes over partitions rebuilds detector state by replaying the last part of
// each channel's chat: from then on it must find the same moments as the one that never stopped.
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/events/schema.ts';
import {
  DEFAULT_DETECTOR_PARAMS,
  stateRebuildWindowMs,
} from '../../src/processing/detector-params.ts';
import type { Moment } from '../../src/processing/moment.ts';
import { detectMoments } from '../../src/processing/offline-detection.ts';
import { ChatSimulator } from '../../src/sources/simulator/chat-simulator.ts';

const START = Date.parse('2026-02-01T18:00:00Z');
const HANDOVER = START + 45 * 60_000;
const END = START + 75 * 60_000;

async function collect(events: StreamEvent[]): Promise<Moment[]> {
  const moments: Moment[] = [];
  for await (const moment of detectMoments(events).moments) moments.push(moment);
  return moments;
}

describe('detector state handover', () => {
  it('rebuilt state finds the same later moments as uninterrupted state', async () => {
    const simulator = new ChatSimulator({ seed: 21, channels: 20, startTs: START });
    const events = [...simulator.events(START, END)];
    const rebuildFrom = HANDOVER - stateRebuildWindowMs(DEFAULT_DETECTOR_PARAMS);
    expect(rebuildFrom).toBeGreaterThan(START);

    const uninterrupted = await collect(events);
    const rebuilt = await collect(events.filter((event) => event.ts >= rebuildFrom));
    const after = (moments: Moment[]) => moments.filter((moment) => moment.start_ts >= HANDOVER);

    const expected = after(uninterrupted);
    const actual = after(rebuilt);
    expect(expected.length).toBeGreaterThan(10);
    expect(
      actual.map(({ id, start_ts, peak_ts, end_ts }) => ({ id, start_ts, peak_ts, end_ts })),
    ).toEqual(
      expected.map(({ id, start_ts, peak_ts, end_ts }) => ({ id, start_ts, peak_ts, end_ts })),
    );
    // The baseline is an exponential average, within 0.025 % after 12 half-lives; a tail
    // probability far out amplifies that a little: scores agree within 1 %.
    actual.forEach((moment, index) => {
      const score = expected[index]!.score;
      expect(Math.abs(moment.score - score)).toBeLessThanOrEqual(0.01 * score);
    });
  }, 60_000);

  it('a replay much shorter than the rebuild window is not enough', async () => {
    const simulator = new ChatSimulator({ seed: 21, channels: 20, startTs: START });
    const events = [...simulator.events(START, END)];
    const uninterrupted = await collect(events);
    const short = await collect(events.filter((event) => event.ts >= HANDOVER - 60_000));
    const key = (moments: Moment[]) =>
      moments
        .filter((moment) => moment.start_ts >= HANDOVER)
        .map((moment) => `${moment.id}:${moment.score}`);
    // Guards the first test's meaning: state really matters, so matching it is not trivial.
    expect(key(short)).not.toEqual(key(uninterrupted));
  }, 60_000);
});
