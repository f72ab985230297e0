// `npm run bench`: throughput of the detection engine and of `streamscout detect`, measured on
// simulated chat in this process. Numbers are printed, never asserted: timing belongs here, not
// in unit tests that flake on busy machines.
//
// The engine is timed twice, on the same events held in memory. "Pre-parsed events" are decoded
// from the JSONL file (`readEventBatches`, as `streamscout detect` reads it; the processor
// decodes a log's records alike): flat strings, the canonical shape. "Simulator's objects" are the simulator's own,
// whose texts and ids are built by concatenation (cons strings, flattened on first read), as the
// engine line measured before round 4. Decoding is not timed in either: that is the `detect`
// lines' business.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventWriter, openText, readEventBatches } from '../src/events/jsonl.ts';
import type { StreamEvent } from '../src/events/schema.ts';
import { DetectionEngine } from '../src/processing/detection-engine.ts';
import { detectMoments } from '../src/processing/offline-detection.ts';
import { ChatSimulator } from '../src/sources/simulator/chat-simulator.ts';
import { plainChat } from './plain-chat.ts';

const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 100);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 1200);
const ROUNDS = 3;
const START = Date.parse('2026-01-01T00:00:00Z');

function simulate(): StreamEvent[] {
  const simulator = new ChatSimulator({ seed: 42, channels: CHANNELS, startTs: START });
  return [...simulator.events(START, START + DURATION_S * 1000)];
}

/** Best of a few rounds: the least disturbed by whatever else the machine is doing. */
async function best(run: () => Promise<number> | number): Promise<number> {
  let fastest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

function runEngine(events: StreamEvent[]): number {
  const engine = new DetectionEngine({ liveMetrics: false });
  let second = -Infinity;
  let moments = 0;
  for (const event of events) {
    engine.ingest(event);
    const eventSecond = Math.floor(event.ts / 1000);
    if (eventSecond > second) {
      second = eventSecond;
      engine.advanceTo(event.ts);
      moments += engine.drain().moments.length;
    }
  }
  engine.flush();
  return moments + engine.drain().moments.length;
}

/** The fastest plain reading: chunks split into lines, each given to JSON.parse, nothing else. */
async function parseOnly(path: string): Promise<number> {
  let count = 0;
  let rest = '';
  const input = createReadStream(path, { encoding: 'utf8' });
  for await (const chunk of input as AsyncIterable<string>) {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      JSON.parse(line);
      count += 1;
    }
  }
  if (rest !== '') {
    JSON.parse(rest);
    count += 1;
  }
  return count;
}

async function detectFile(path: string): Promise<number> {
  let moments = 0;
  // As `streamscout detect` reads it: batches of lines.
  const batches = readEventBatches(await openText(path));
  for await (const _moment of detectMoments(batches).moments) moments += 1;
  return moments;
}

/** Heap held by the engine once 10,000 channels each have a few minutes of chat in their state. */
async function detectorMemory(channels: number): Promise<number> {
  const gc = globalThis.gc;
  if (!gc) throw new Error('run with node --expose-gc');
  // Typed arrays keep their contents outside the JavaScript heap: both count.
  const used = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  gc();
  const before = used();
  const engine = new DetectionEngine({ liveMetrics: false });
  const start = START;
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
            ts: start + second * 1000 + i * 400,
            emotes: [{ id: '88', name: 'PogChamp', start: 0, end: 7 }],
          }),
        );
      }
    }
    engine.advanceTo(start + second * 1000);
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

const rate = (events: number, ms: number): string =>
  `${Math.round(events / (ms / 1000)).toLocaleString('en-US')} events/s`;

/** Every event of the file, decoded as `streamscout detect` decodes it. */
async function decodeFile(path: string): Promise<StreamEvent[]> {
  const decoded: StreamEvent[] = [];
  for await (const batch of readEventBatches(await openText(path))) {
    for (const event of batch) decoded.push(event);
  }
  return decoded;
}

let events: StreamEvent[] | null = simulate();
const count = events.length;
console.log(
  `simulated ${count.toLocaleString('en-US')} events: ${CHANNELS} channels, ${DURATION_S} s`,
);

const dir = await mkdtemp(join(tmpdir(), 'streamscout-bench-'));
try {
  const path = join(dir, 'chat.jsonl');
  const writer = new EventWriter(path);
  for (const event of events) await writer.write(event);
  await writer.close();

  const simulatorMs = await best(() => runEngine(events!));
  // One set of events in memory at a time: a second heap of them would slow every collection.
  events = null;
  let parsed: StreamEvent[] | null = await decodeFile(path);
  const parsedMs = await best(() => runEngine(parsed!));
  parsed = null;
  console.log(`detection engine, pre-parsed events:  ${rate(count, parsedMs)}`);
  console.log(`detection engine, simulator's objects: ${rate(count, simulatorMs)}`);

  const { size } = await stat(path);
  const parseMs = await best(() => parseOnly(path));
  const detectMs = await best(() => detectFile(path));
  console.log(
    `bare JSON.parse of the file (${(size / 2 ** 20).toFixed(0)} MiB):  ${rate(count, parseMs)}`,
  );
  console.log(`streamscout detect over JSONL:        ${rate(count, detectMs)}`);
  console.log(`detect / JSON.parse speed ratio:      ${(parseMs / detectMs).toFixed(2)}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}

const memory = await detectorMemory(10_000);
console.log(`detector memory, 10,000 active channels: ${(memory / 2 ** 20).toFixed(1)} MB`);
