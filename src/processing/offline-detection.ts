// The live engine over a finite stream of events (a recorded chat log, a VOD export).
import type { StreamEvent } from '../events/schema.ts';
import { DetectionEngine, type EngineCounters, type EngineOptions } from './detection-engine.ts';
import type { Moment } from './moment.ts';

export interface OfflineDetection {
  moments: AsyncGenerator<Moment>;
  /** Final once `moments` is exhausted. */
  counters(): EngineCounters;
}

/** Events one by one, or in batches (cheaper: one async step per batch, not per event). */
export type EventStream =
  | AsyncIterable<StreamEvent | readonly StreamEvent[]>
  | Iterable<StreamEvent | readonly StreamEvent[]>;

export function detectMoments(
  events: EventStream,
  options: Omit<EngineOptions, 'liveMetrics'> = {},
): OfflineDetection {
  const engine = new DetectionEngine({ ...options, liveMetrics: false });
  async function* run(): AsyncGenerator<Moment> {
    let second = Number.NEGATIVE_INFINITY;
    const found: Moment[] = [];
    const step = (event: StreamEvent): void => {
      engine.ingest(event);
      // Advance the shared watermark once per second of stream time, not per event.
      const eventSecond = Math.floor(event.ts / 1000);
      if (eventSecond > second) {
        second = eventSecond;
        engine.advanceTo(event.ts);
        found.push(...engine.drain().moments);
      }
    };
    for await (const item of events) {
      if (isBatch(item)) for (const event of item) step(event);
      else step(item);
      if (found.length > 0) yield* found.splice(0);
    }
    engine.flush();
    yield* engine.drain().moments;
  }
  return { moments: run(), counters: () => engine.counters() };
}

function isBatch(item: StreamEvent | readonly StreamEvent[]): item is readonly StreamEvent[] {
  return Array.isArray(item);
}
