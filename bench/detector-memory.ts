// Detector memory for 10,000 active channels, read in a fresh process (`npm run bench` runs this
// file a few times): prints megabytes held by the engine's state, typed arrays included.
// Run alone: node --expose-gc bench/detector-memory.ts
import { setTimeout as sleep } from 'node:timers/promises';
import { DetectionEngine } from '../src/processing/detection-engine.ts';
import { plainChat } from './plain-chat.ts';

const CHANNELS = 10_000;
const START = Date.parse('2026-01-01T00:00:00Z');

/** Heap held by the engine once 10,000 channels each have a few minutes of chat in their state. */
async function detectorMemory(channels: number): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Typed arrays keep their contents outside the JavaScript heap: both count.
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const before = used();
  const engine = new DetectionEngine({ liveMetrics: false });
  for (let second = 0; second < 180; second++) {
    for (let channel = 0; channel < channels; channel++) {
      // ~1.5 messages/s per channel from a pool of 300 chatters each.
      const messages = (channel + second) % 3 === 0 ? 1 : 2;
      for (let i = 0; i < messages; i++) {
        engine.ingest(
          plainChat({
            id: `${channel}-${second}-${i}`,
            channel_id: String(100_000 + channel),
            channel: `channel${channel}`,
            user_id: `u${channel}-${(second * 7 + i * 13) % 300}`,
            user: `user${(second * 7 + i * 13) % 300}`,
            // Every text its own string, as parsed chat is: kept texts cost memory.
            text: `PogChamp nice ${second} ${i}`,
            ts: START + second * 1000 + i * 400,
            emotes: [{ id: '88', name: 'PogChamp', start: 0, end: 7 }],
          }),
        );
      }
    }
    engine.advanceTo(START + second * 1000);
    engine.drain();
  }
  // Freed typed arrays' memory is returned by a background sweeper: let it finish.
  for (let round = 0; round < 3; round++) {
    gc();
    await sleep(200);
  }
  const held = used() - before;
  if (engine.counters().channels !== channels) throw new Error('channels were evicted');
  return held;
}

const held = await detectorMemory(CHANNELS);
console.log((held / 2 ** 20).toFixed(2));
