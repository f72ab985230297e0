// `npm run bench:e2e`: the distributed pipeline end to end, through a real Kafka broker and a
// real PostgreSQL: simulated chat published to Kafka as the monitor publishes it, two processor
// processes (bench/e2e-processor.ts) consuming it in one group and writing to PostgreSQL.
//
// (a) Throughput, three phases over BENCH_E2E_MESSAGES events each:
//     producer only (no processor running), processors only (draining that backlog), and end
//     to end (producing while the processors run, until every record is committed: the group's
//     lag is 0 on both topics).
// (b) Latency: live chat at a steady rate, stamped with the wall clock, with crowd reactions
//     planted in a few channels; per spike, from the wall-clock end of its peak second to its
//     moment row's first appearance (written live when the moment opens), its peak report
//     (clip_attempts row) and its final moment row (written when the moment ends). The events'
//     times and the rows' times (PostgreSQL's now(), the start of the writing transaction) are
//     both this machine's wall clock. DETECTOR_LATENESS_MS sets the processors' lateness.
//
// Services: KAFKA_BROKERS and DATABASE_URL when set (topics and a consumer group of this run's
// own, under a fresh KAFKA_TOPIC_PREFIX-style prefix, and a fresh database), else a broker and an embedded PostgreSQL of its own in a
// temporary folder (scripts/services/). Numbers are printed, never asserted.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import pg from 'pg';
import { javaAvailable } from '../scripts/services/kafka-jars.ts';
import { startKafkaBroker } from '../scripts/services/kafka-broker.ts';
import type { ChatMessage, StreamEvent } from '../src/events/schema.ts';
import { KafkaEventLog } from '../src/log/kafka/kafka-event-log.ts';
import { PrefixedEventLog } from '../src/log/prefixed-event-log.ts';
import { KAFKA_TOPIC_DEFAULTS, TOPICS } from '../src/log/topics.ts';
import { createLogger } from '../src/ops/logger.ts';
import { Metrics } from '../src/ops/metrics.ts';
import { DEFAULT_DETECTOR_PARAMS } from '../src/processing/detector-params.ts';
import { EventPublisher } from '../src/sources/event-publisher.ts';
import { ChatSimulator } from '../src/sources/simulator/chat-simulator.ts';
import { startEmbeddedPostgres } from '../src/storage/embedded-postgres-server.ts';
import { findFreePort } from '../src/storage/free-port.ts';
import { plainChat } from './plain-chat.ts';
import { cpuPer, readCpu, type CpuReading } from './process-cpu.ts';

const knob = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
/** Events per throughput phase. */
const MESSAGES = knob('BENCH_E2E_MESSAGES', 300_000);
const PROCESSORS = knob('BENCH_E2E_PROCESSORS', 2);
/** Simulated channels of the throughput phases, and the distinct events they are made of. */
const CHANNELS = knob('BENCH_E2E_CHANNELS', 1000);
const TAPE = knob('BENCH_E2E_TAPE', 250_000);
/** Events per send, as the monitor hands a batch to the log. */
const SEND_BATCH = knob('BENCH_E2E_SEND_BATCH', 5000);
/** Latency phase: background channels (simulator), spike channels, rounds of spikes. */
const LIVE_CHANNELS = knob('BENCH_E2E_LIVE_CHANNELS', 1000);
const SPIKE_CHANNELS = knob('BENCH_E2E_SPIKE_CHANNELS', 24);
const SPIKE_ROUNDS = knob('BENCH_E2E_SPIKE_ROUNDS', 1);
/** Processors write V8 CPU profiles into this folder (node --cpu-prof), when set. */
const CPU_PROFILE_DIR = process.env.BENCH_E2E_CPU_PROF;
const CLIP_MIN_SCORE = 6;
/** The processors' watermark lateness, as the processing role reads it. */
const LATENESS_MS = knob('DETECTOR_LATENESS_MS', DEFAULT_DETECTOR_PARAMS.latenessMs);
const TICK_MS = 100;
/** A processor that has not stopped by then is killed (and the run says so). */
const STOP_TIMEOUT_MS = 20_000;

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'json');
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

// ---- services ----

interface Services {
  brokers: string;
  serverUrl: string;
  own: boolean;
  stop(): Promise<void>;
}

async function services(): Promise<Services> {
  const brokers = process.env.KAFKA_BROKERS ?? process.env.KAFKA_BROKER_URL;
  const serverUrl = process.env.DATABASE_URL ?? process.env.POSTGRES_URL;
  if (brokers && serverUrl) return { brokers, serverUrl, own: false, stop: async () => {} };
  if (!(await javaAvailable())) {
    throw new Error('set KAFKA_BROKERS and DATABASE_URL, or install Java 17 to start a broker');
  }
  // Two folders: the embedded server runs as its own user, which must own its whole path.
  const kafkaDir = await mkdtemp(join(tmpdir(), 'streamscout-bench-kafka-'));
  const postgresDir = await mkdtemp(join(tmpdir(), 'streamscout-bench-pg-'));
  const kafka = await startKafkaBroker(kafkaDir);
  const postgres = await startEmbeddedPostgres({
    dataDir: postgresDir,
    logger,
    port: await findFreePort(),
  });
  return {
    brokers: kafka.brokers,
    serverUrl: postgres.url,
    own: true,
    stop: async () => {
      await Promise.all([kafka.stop(), postgres.stop()]);
      for (const dir of [kafkaDir, postgresDir]) await rm(dir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server, so the rows counted are this run's. */
async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  await withClient(serverUrl, (admin) =>
    admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`),
  );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

// ---- where the CPU went ----

interface CpuMark {
  /** This process's: the producer's (and the bench's own bookkeeping, which is small). */
  producer: NodeJS.CpuUsage;
  others: CpuReading;
}

const cpuMark = (children: ProcessorChild[]): CpuMark => ({
  producer: process.cpuUsage(),
  others: readCpu(children.map(({ child }) => child.pid!)),
});

/**
 * CPU per event of each part between `from` and now, and what that allows: every part shares
 * this machine's cores, so the sum per event bounds the throughput of the whole pipeline.
 */
function cpuBreakdown(from: CpuMark, children: ProcessorChild[], events: number): string {
  const now = cpuMark(children);
  const used = process.cpuUsage(from.producer);
  const parts = {
    producer: (used.user + used.system) / events,
    ...cpuPer(from.others, now.others, events),
  };
  const names = {
    producer: 'producer',
    processors: 'processors',
    broker: 'Kafka broker',
    postgres: 'PostgreSQL',
  };
  const known = Object.entries(parts).filter(
    (entry): entry is [keyof typeof names, number] => entry[1] !== undefined,
  );
  if (known.length < 2) return '  CPU per event: not measured (no /proc)';
  const total = known.reduce((sum, [, us]) => sum + us, 0);
  const cores = cpus().length;
  return `  CPU per event: ${known.map(([part, us]) => `${names[part]} ${us.toFixed(1)} µs`).join(', ')}; total ${total.toFixed(1)} µs, so ${cores} cores fit at most ${fmt((cores * 1e6) / total)} events/s`;
}

// ---- Kafka positions ----

async function partitionCounts(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const metadata = await admin.metadata({ topics });
  return new Map(topics.map((topic) => [topic, metadata.topics.get(topic)!.partitionsCount]));
}

async function endOffsets(admin: Admin, counts: Map<string, number>): Promise<Map<string, bigint>> {
  const listed = await admin.listOffsets({
    topics: [...counts].map(([name, count]) => ({
      name,
      partitions: Array.from({ length: count }, (_, partitionIndex) => ({
        partitionIndex,
        timestamp: -1n, // latest
      })),
    })),
  });
  const ends = new Map<string, bigint>();
  for (const topic of listed)
    for (const p of topic.partitions) ends.set(`${topic.name}/${p.partitionIndex}`, p.offset);
  return ends;
}

/** Records not yet committed by the group, over both topics. */
async function groupLag(admin: Admin, group: string, counts: Map<string, number>): Promise<number> {
  const ends = await endOffsets(admin, counts);
  const [offsets] = await admin.listConsumerGroupOffsets({ groups: [group] });
  const committed = new Map<string, bigint>();
  for (const topic of offsets?.topics ?? [])
    for (const p of topic.partitions)
      committed.set(`${topic.name}/${p.partitionIndex}`, p.committedOffset);
  let lag = 0n;
  for (const [key, end] of ends) {
    const at = committed.get(key) ?? -1n;
    lag += end - (at < 0n ? 0n : at);
  }
  return Number(lag);
}

async function untilCommitted(admin: Admin, group: string, counts: Map<string, number>) {
  for (;;) {
    if ((await groupLag(admin, group, counts)) === 0) return performance.now();
    await sleep(50);
  }
}

// ---- processors ----

interface ProcessorChild {
  child: ChildProcess;
  stop(): Promise<number>;
}

async function startProcessors(env: Record<string, string>): Promise<ProcessorChild[]> {
  const started = Array.from({ length: PROCESSORS }, async () => {
    const child = fork(join(ROOT, 'bench/e2e-processor.ts'), {
      env: { ...process.env, ...env },
      execArgv: CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROFILE_DIR}`] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const [message] = (await Promise.race([
      once(child, 'message'),
      once(child, 'exit').then(() => {
        throw new Error('a processor exited during start');
      }),
    ])) as [{ type: string }];
    if (message.type !== 'ready') throw new Error(`processor said ${message.type}`);
    return {
      child,
      stop: async (): Promise<number> => {
        if (child.exitCode !== null || child.signalCode !== null) return NaN;
        const exited = once(child, 'exit');
        let step = 'before processor.stop';
        const stopped = new Promise<number>((resolve) => {
          child.on('message', (message: { type: string; step?: string; processed?: number }) => {
            if (message.type === 'stopping') step = `in ${message.step}`;
            if (message.type === 'stopped') resolve(message.processed ?? NaN);
          });
        });
        child.send({ type: 'stop' });
        const timeout = new AbortController();
        const processed = await Promise.race([
          stopped,
          exited.then(() => NaN),
          sleep(STOP_TIMEOUT_MS, undefined, { signal: timeout.signal }).then(
            async () => {
              // What its database connections were doing, to tell a hang in the pool from one in SQL.
              const sessions = await withClient(env.BENCH_DATABASE_URL!, (client) =>
                client.query<{ state: string; query: string }>(
                  `select state, left(query, 60) as query from pg_stat_activity
                    where datname = current_database() and pid <> pg_backend_pid()`,
                ),
              ).then(
                ({ rows }) => rows.map((row) => `${row.state}: ${row.query}`).join(' | '),
                (error: unknown) => String(error),
              );
              console.log(
                `  a processor did not stop within ${STOP_TIMEOUT_MS / 1000} s (${step}): killed (pid ${child.pid}); database sessions: ${sessions || 'none'}`,
              );
              child.kill('SIGKILL');
              return NaN;
            },
            () => NaN,
          ),
        ]);
        timeout.abort();
        await exited;
        return processed;
      },
    };
  });
  return Promise.all(started);
}

// ---- throughput ----

/** The same simulated chat, again and again, later each time: fresh ids, time moving on. */
class Tape {
  private readonly events: StreamEvent[];
  private readonly spanMs: number;
  /** Added to every event's time: places the first loop where the run wants it. */
  private readonly offsetMs: number;
  private loop = 0;
  private index = 0;

  constructor(events: StreamEvent[], spanMs: number, offsetMs: number) {
    this.events = events;
    this.spanMs = spanMs;
    this.offsetMs = offsetMs;
  }

  next(count: number): StreamEvent[] {
    const out: StreamEvent[] = [];
    while (out.length < count) {
      if (this.index === this.events.length) {
        this.index = 0;
        this.loop += 1;
      }
      const event = this.events[this.index++]!;
      const ts = event.ts + this.offsetMs + this.loop * this.spanMs;
      // Message ids are unique on Twitch: a replayed message gets its own.
      if (event.type === 'chat') out.push({ ...event, id: `${event.id}.${this.loop}`, ts });
      else if (event.type === 'notice') out.push({ ...event, id: `${event.id}.${this.loop}`, ts });
      else out.push({ ...event, ts });
    }
    return out;
  }
}

const TAPE_START = Date.parse('2026-01-01T00:00:00Z');

function recordTape(): StreamEvent[] {
  const simulator = new ChatSimulator({ seed: 11, channels: CHANNELS, startTs: TAPE_START });
  const events: StreamEvent[] = [];
  for (const event of simulator.events(TAPE_START, TAPE_START + 86_400_000)) {
    if (events.length === TAPE) break;
    events.push(event);
  }
  return events;
}

async function produce(publisher: EventPublisher, tape: Tape, total: number) {
  const started = performance.now();
  let chat = 0;
  for (let sent = 0; sent < total; sent += SEND_BATCH) {
    const batch = tape.next(Math.min(SEND_BATCH, total - sent));
    for (const event of batch) if (event.type === 'chat') chat += 1;
    await publisher.publish(batch);
  }
  return { started, ms: performance.now() - started, chat };
}

// ---- latency ----

interface Spike {
  channelId: string;
  /** Epoch ms of the first second of the spike (its peak is this one or the next, by shape). */
  startSecond: number;
}

/**
 * Chatters per second of a spike, by channel: even channels build up for a second (the moment
 * opens a second before its peak), odd ones start at their peak (it opens with the peak second).
 */
const SPIKE_SHAPES = [
  [8, 40, 24, 8],
  [40, 24, 16, 8],
];
const spikeShape = (channel: number): number[] => SPIKE_SHAPES[channel % SPIKE_SHAPES.length]!;

function chat(channel: number, user: string, text: string, ts: number, id: string): ChatMessage {
  const emoted = text === 'KEKW';
  return plainChat({
    id,
    channel_id: String(900_000 + channel),
    channel: `benchspike${channel}`,
    user_id: `${user}-${channel}`,
    user,
    text,
    ts,
    emotes: emoted ? [{ id: '555', name: 'KEKW', start: 0, end: 3 }] : [],
  });
}

/** A spike channel's chat in [from, to): ~3 messages/s from 50 regulars, plus its spikes. */
function spikeChannelEvents(channel: number, spikes: Spike[], from: number, to: number) {
  const events: ChatMessage[] = [];
  for (let ts = Math.ceil(from / 333) * 333; ts < to; ts += 333) {
    const n = Math.floor(ts / 333);
    events.push(chat(channel, `regular${(n * 7) % 50}`, `message ${n}`, ts, `b${channel}-${n}`));
  }
  for (const spike of spikes) {
    spikeShape(channel).forEach((count, offset) => {
      for (let i = 0; i < count; i++) {
        const ts = spike.startSecond + offset * 1000 + Math.floor((i * 1000) / count);
        if (ts < from || ts >= to) continue;
        const user = `reactor${offset}x${i}s${spike.startSecond}`;
        events.push(
          chat(channel, user, 'KEKW', ts, `s${channel}-${spike.startSecond}-${offset}-${i}`),
        );
      }
    });
  }
  return events;
}

async function latencyPhase(
  publisher: EventPublisher,
  databaseUrl: string,
  lag: () => Promise<number>,
): Promise<{ rate: number; spikes: Spike[]; maxLag: number }> {
  const phaseStart = Math.ceil(Date.now() / 1000) * 1000;
  const background = new ChatSimulator({ seed: 23, channels: LIVE_CHANNELS, startTs: phaseStart });
  // Warm-up (30 s of chat) and a baseline first. Rounds 70 s apart: a moment lasts until its
  // spike has left the 20 s window, then the channel cools down for 30 s.
  const spikesOf = (channel: number): Spike[] =>
    Array.from({ length: SPIKE_ROUNDS }, (_, round) => ({
      channelId: String(900_000 + channel),
      startSecond: phaseStart + (40 + round * 70 + (channel % 5)) * 1000,
    }));
  const spikes = Array.from({ length: SPIKE_CHANNELS }, (_, c) => spikesOf(c)).flat();
  const lastSpike = Math.max(...spikes.map((s) => s.startSecond));
  // Chat goes on after the last spike until its moment's final row is written (or 45 s have passed).
  const deadline = lastSpike + 45_000;
  let sent = 0;
  let maxLag = 0;
  let lagSampledAt = 0;
  let cursor = phaseStart;
  const wanted = new Set(spikes.map((s) => s.channelId));
  while (cursor < deadline) {
    const now = Date.now();
    if (now - TICK_MS < cursor) {
      await sleep(cursor + TICK_MS - now);
      continue;
    }
    const to = now;
    const batch: StreamEvent[] = [...background.events(cursor, to)];
    for (let c = 0; c < SPIKE_CHANNELS; c++) {
      batch.push(
        ...spikeChannelEvents(
          c,
          spikes.filter((s) => s.channelId === String(900_000 + c)),
          cursor,
          to,
        ),
      );
    }
    batch.sort((a, b) => a.ts - b.ts);
    await publisher.publish(batch);
    sent += batch.length;
    cursor = to;
    if (cursor - lagSampledAt >= 1000) {
      lagSampledAt = cursor;
      maxLag = Math.max(maxLag, await lag());
    }
    if (cursor > lastSpike + 10_000 && cursor % 1000 < TICK_MS) {
      const done = await withClient(databaseUrl, (client) =>
        client.query<{ count: string }>(
          'select count(*) from moments where channel_id = any($1) and start_ts > $2 and not live',
          [[...wanted], new Date(lastSpike - 5000)],
        ),
      );
      if (Number(done.rows[0]?.count) >= SPIKE_CHANNELS) break;
    }
  }
  return { rate: sent / ((cursor - phaseStart) / 1000), spikes, maxLag };
}

interface Row {
  channel_id: string;
  peak_ms: string;
  at_ms: string;
}

/** Per spike: ms from the end of the row's peak second to the row, matched by channel and time. */
function latencies(spikes: Spike[], rows: Row[]): number[] {
  const out: number[] = [];
  for (const spike of spikes) {
    const row = rows.find(
      (r) =>
        r.channel_id === spike.channelId && Math.abs(Number(r.peak_ms) - spike.startSecond) < 5000,
    );
    if (row === undefined) continue;
    const peakEnd = Math.floor(Number(row.peak_ms) / 1000) * 1000 + 1000;
    out.push(Number(row.at_ms) - peakEnd);
  }
  return out.sort((a, b) => a - b);
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

function describe(name: string, values: number[], of: number): void {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  if (values.length === 0) return console.log(`  ${name}: none of ${of} spikes`);
  console.log(
    `  ${name}: ${values.length}/${of} spikes; p50 ${s(quantile(values, 0.5))}, p99 ${s(quantile(values, 0.99))}, min ${s(values[0]!)}, max ${s(values.at(-1)!)}`,
  );
}

// ---- the run ----

console.log(`load average at start: ${load()}`);
const svc = await services();
const run = `${Date.now()}`;
// Topics of this run's own: on a shared broker, a processor joining the real topics would first
// rebuild from (replay) every earlier run's records of the last minutes, and count that work.
const prefix = `bench-${run}-`;
const topics = TOPICS.map((topic) => prefix + topic);
const groupId = `streamscout-bench-${run}`;
/** The group's name on the broker (PrefixedEventLog prefixes groups too). */
const group = prefix + groupId;
const children: ProcessorChild[] = [];
const log = new PrefixedEventLog(
  new KafkaEventLog({ brokers: svc.brokers.split(','), clientId: 'streamscout-bench' }),
  prefix,
);
const admin = new Admin({
  clientId: 'streamscout-bench',
  bootstrapBrokers: svc.brokers.split(','),
});
let databaseName: string | undefined;
try {
  console.log(
    `services: ${svc.own ? 'started for this run' : 'KAFKA_BROKERS and DATABASE_URL'} (Kafka ${svc.brokers})`,
  );
  databaseName = `streamscout_bench_${run}`;
  const databaseUrl = await freshDatabase(svc.serverUrl, databaseName);
  for (const topic of TOPICS) await log.createTopic(topic, KAFKA_TOPIC_DEFAULTS[topic].partitions);
  const counts = await partitionCounts(admin, topics);
  const publisher = new EventPublisher(log, new Metrics({ defaults: false }));
  const processorEnv = {
    BENCH_BROKERS: svc.brokers,
    BENCH_DATABASE_URL: databaseUrl,
    BENCH_GROUP: groupId,
    BENCH_TOPIC_PREFIX: prefix,
    BENCH_CLIP_MIN_SCORE: String(CLIP_MIN_SCORE),
  };

  // (a) throughput. The tape's time is placed so that both phases end about now.
  const generated = performance.now();
  const tapeEvents = recordTape();
  const span = Math.floor(tapeEvents.at(-1)!.ts / 1000) * 1000 + 1000 - TAPE_START;
  const loops = Math.ceil((2 * MESSAGES) / tapeEvents.length);
  const tapeStart = Math.floor(Date.now() / 1000) * 1000 - loops * span;
  const tape = new Tape(tapeEvents, span, tapeStart - TAPE_START);
  console.log(
    `tape: ${fmt(tapeEvents.length)} simulated events (${CHANNELS} channels, ${(span / 1000).toFixed(0)} s), replayed with fresh ids and later times; made in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
  );

  let mark = cpuMark(children);
  const producerOnly = await produce(publisher, tape, MESSAGES);
  console.log(
    `producer only:    ${fmt(MESSAGES / (producerOnly.ms / 1000))} events/s (${fmt(MESSAGES)} events, ${fmt(producerOnly.chat)} chat messages, ${(producerOnly.ms / 1000).toFixed(1)} s)`,
  );
  console.log(cpuBreakdown(mark, children, MESSAGES));

  children.push(...(await startProcessors(processorEnv)));
  const drainStart = performance.now();
  mark = cpuMark(children);
  const drained = await untilCommitted(admin, group, counts);
  const drainMs = drained - drainStart;
  console.log(
    `processors only:  ${fmt(MESSAGES / (drainMs / 1000))} events/s (${PROCESSORS} processes, from all joined to lag 0: ${(drainMs / 1000).toFixed(1)} s)`,
  );
  console.log(cpuBreakdown(mark, children, MESSAGES));

  mark = cpuMark(children);
  const endToEnd = await produce(publisher, tape, MESSAGES);
  const committed = await untilCommitted(admin, group, counts);
  const e2eMs = committed - endToEnd.started;
  console.log(
    `end to end:       ${fmt(MESSAGES / (e2eMs / 1000))} events/s, ${fmt(endToEnd.chat / (e2eMs / 1000))} chat messages/s (first send to lag 0: ${(e2eMs / 1000).toFixed(1)} s; the producer alone took ${(endToEnd.ms / 1000).toFixed(1)} s, ${fmt(MESSAGES / (endToEnd.ms / 1000))} events/s)`,
  );
  console.log(cpuBreakdown(mark, children, MESSAGES));
  const counted = await withClient(databaseUrl, (client) =>
    client.query<{ moments: string; candidates: string }>(
      'select (select count(*) from moments) as moments, (select count(*) from clip_attempts) as candidates',
    ),
  );
  console.log(
    `  rows: ${counted.rows[0]?.moments} moments, ${counted.rows[0]?.candidates} clip candidates; load average ${load()}`,
  );

  // (b) latency (BENCH_E2E_SPIKE_ROUNDS=0 skips it).
  if (SPIKE_ROUNDS > 0) {
    const lateness = LATENESS_MS;
    const hold = DEFAULT_DETECTOR_PARAMS.peakHoldS * 1000;
    const live = await latencyPhase(publisher, databaseUrl, () => groupLag(admin, group, counts));
    await untilCommitted(admin, group, counts);
    const [firstRows, finalRows, peakRows] = await withClient(databaseUrl, async (client) => {
      const ids = [...new Set(live.spikes.map((s) => s.channelId))];
      // The row's peak is its final one (the planted peak); detected_at is its first write.
      const moments = await client.query<Row & { final_ms: string | null }>(
        `select channel_id, (extract(epoch from peak_ts) * 1000)::bigint as peak_ms,
                (extract(epoch from detected_at) * 1000)::bigint as at_ms,
                (extract(epoch from final_at) * 1000)::bigint as final_ms
           from moments where channel_id = any($1)`,
        [ids],
      );
      const peaks = await client.query<Row>(
        `select channel_id, (extract(epoch from peak_ts) * 1000)::bigint as peak_ms,
                (extract(epoch from created_at) * 1000)::bigint as at_ms
           from clip_attempts where channel_id = any($1)`,
        [ids],
      );
      const final = moments.rows
        .filter((row) => row.final_ms !== null)
        .map((row) => ({ ...row, at_ms: row.final_ms! }));
      return [moments.rows, final, peaks.rows];
    });
    const peakLatency = latencies(live.spikes, peakRows);
    const firstLatency = latencies(live.spikes, firstRows);
    const finalLatency = latencies(live.spikes, finalRows);
    console.log(
      `latency at ${fmt(live.rate)} events/s of live chat (${LIVE_CHANNELS} simulated channels + ${SPIKE_CHANNELS} with planted spikes; most records behind, sampled each second: ${fmt(live.maxLag)}; lateness ${lateness} ms), from the end of the peak second:`,
    );
    describe(
      'moment row first seen (live, written when it opens)',
      firstLatency,
      live.spikes.length,
    );
    describe('peak report (clip_attempts row)', peakLatency, live.spikes.length);
    describe(
      'final moment row (written once the moment has ended)',
      finalLatency,
      live.spikes.length,
    );
    // The target's measure (docs/design.md, "Latency"): the engine closes a second once the
    // watermark, the newest event time minus the lateness, passes its end; nothing can be known
    // of a second before then. The events here are stamped with the wall clock as they are sent.
    console.log(
      `from the peak second's close (its end + ${lateness / 1000} s lateness, when the engine first has the whole second; target: moment row p99 <= 2 s):`,
    );
    describe(
      'moment row first seen',
      firstLatency.map((ms) => ms - lateness),
      live.spikes.length,
    );
    describe(
      `peak report (the detector first waits ${hold / 1000} s of peak hold)`,
      peakLatency.map((ms) => ms - lateness),
      live.spikes.length,
    );
  }
  console.log(`load average at end: ${load()}`);
} finally {
  // Together, as a deployment stops: one leaving alone sends the other into a rebalance.
  await Promise.all(children.map((processor) => processor.stop().catch(() => NaN)));
  await log.close().catch(() => {});
  await admin.deleteTopics({ topics }).catch(() => {});
  await admin.close().catch(() => {});
  if (databaseName !== undefined && !svc.own) {
    await withClient(svc.serverUrl, (client) =>
      client.query(
        `DROP DATABASE IF EXISTS ${client.escapeIdentifier(databaseName!)} WITH (FORCE)`,
      ),
    ).catch(() => {});
  }
  await svc.stop();
}
