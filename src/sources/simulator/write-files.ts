// Runs a simulation into files: the events as JSON Lines, the planted highlights (ground truth)
// as JSON Lines, one highlight per line. Either file is gzipped when its name ends in `.gz`.
import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { EventWriter } from '../../events/jsonl.ts';
import type { Highlight } from './highlights.ts';
import type { SimulatorOptions } from './options.ts';
import { ChatSimulator } from './chat-simulator.ts';

export interface SimulateToFilesOptions extends SimulatorOptions {
  /** Simulated seconds. */
  durationS: number;
  /** Where the events go (JSONL, gzip when it ends in `.gz`). */
  eventsPath: string;
  /** Where the ground truth goes (one highlight per line, gzip when it ends in `.gz`); omitted = not written. */
  truthPath?: string;
  /** Called after each simulated chunk with simulated and total milliseconds, for progress bars. */
  onProgress?: (doneMs: number, totalMs: number) => void;
}

export interface SimulationSummary {
  events: number;
  highlights: number;
  channels: number;
}

/** Simulated time written between two progress reports. */
const PROGRESS_CHUNK_MS = 60_000;

export async function simulateToFiles(options: SimulateToFilesOptions): Promise<SimulationSummary> {
  const { durationS, eventsPath, truthPath, onProgress, ...simulatorOptions } = options;
  if (!(Number.isInteger(durationS) && durationS > 0)) {
    throw new RangeError(`durationS must be a positive integer, got ${durationS}`);
  }
  const simulator = new ChatSimulator(simulatorOptions);
  const startTs = simulator.options.startTs;
  const totalMs = durationS * 1000;
  const writer = new EventWriter(eventsPath);
  let events = 0;
  try {
    for (let doneMs = 0; doneMs < totalMs;) {
      const chunkEnd = Math.min(totalMs, doneMs + PROGRESS_CHUNK_MS);
      for (const event of simulator.events(startTs + doneMs, startTs + chunkEnd)) {
        await writer.write(event);
        events += 1;
      }
      doneMs = chunkEnd;
      onProgress?.(doneMs, totalMs);
    }
  } finally {
    await writer.close();
  }
  // Only highlights complete within the run: one cut off by its end is only partly in the data.
  const endTs = startTs + totalMs;
  const highlights = simulator.highlights().filter((highlight) => highlight.end_ts <= endTs);
  if (truthPath !== undefined) await writeTruth(truthPath, highlights);
  return { events, highlights: highlights.length, channels: simulator.channels.length };
}

async function writeTruth(path: string, highlights: readonly Highlight[]): Promise<void> {
  const text = highlights.map((highlight) => JSON.stringify(highlight) + '\n').join('');
  await writeFile(path, path.endsWith('.gz') ? gzipSync(text) : text);
}
