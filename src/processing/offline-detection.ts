// The live engine over a finite stream of events (a recorded chat log, a VOD export).
import type { StreamEvent } from '../events/schema.ts';
import { DetectionEngine, type EngineCounters, type EngineOptions } from './detection-engine.ts';
import type { Moment } from './moment.ts';

export interface OfflineDetection {
  moments: AsyncGenerator<Moment>;
  /** Final once `moments` is exhausted. */
  counters(): EngineCounters;
}

export function detectMoments(
  events: AsyncIterable<StreamEvent> | Iterable<StreamEvent>,
  options: Omit<EngineOptions, 'liveMetrics'> = {},
): OfflineDetection {
  const engine = new DetectionEngine({ ...options, liveMetrics: false });
  async function* run(): AsyncGenerator<Moment> {
    let second = Number.NEGATIVE_INFINITY;
    for await (const event of events) {
      engine.ingest(event);
      // Advance the shared watermark once per second of stream time, not per event.
      const eventSecond = Math.floor(event.ts / 1000);
      if (eventSecond > second) {
        second = eventSecond;
        engine.advanceTo(event.ts);
        yield* engine.drain().moments;
      }
    }
    engine.flush();
    yield* engine.drain().moments;
  }
  return { moments: run(), counters: () => engine.counters() };
}
