// One processor of `npm run bench:e2e`, in its own process as in a deployment: the Kafka event
// log, the detection engine and PostgreSQL, exactly as the processing role wires them, with
// clip candidates recorded (no clipper runs: the rows stay pending). Told what to do by its
// parent over IPC: it says `ready` once it has joined the group, and stops on `stop`.
import { KafkaEventLog } from '../src/log/kafka/kafka-event-log.ts';
import { PrefixedEventLog } from '../src/log/prefixed-event-log.ts';
import { createLogger } from '../src/ops/logger.ts';
import { Metrics } from '../src/ops/metrics.ts';
import { DEFAULT_DETECTOR_PARAMS } from '../src/processing/detector-params.ts';
import { Processor } from '../src/processing/processor.ts';
import { openStore } from '../src/storage/postgres-store.ts';

const { BENCH_BROKERS, BENCH_DATABASE_URL, BENCH_GROUP, BENCH_CLIP_MIN_SCORE } = process.env;
const { BENCH_TOPIC_PREFIX = '' } = process.env;
if (!BENCH_BROKERS || !BENCH_DATABASE_URL || !BENCH_GROUP || !process.send) {
  throw new Error('bench/e2e-processor.ts is started by bench/e2e.ts');
}

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'json');
const metrics = new Metrics({ defaults: false });
const log = new PrefixedEventLog(
  new KafkaEventLog({ brokers: BENCH_BROKERS.split(','), clientId: 'streamscout-bench', logger }),
  BENCH_TOPIC_PREFIX,
);
const store = await openStore({ url: BENCH_DATABASE_URL, logger });
const processor = new Processor({
  log,
  store,
  metrics,
  logger,
  groupId: BENCH_GROUP,
  // As the processing role reads it (src/config.ts).
  engine: {
    detector: {
      latenessMs: Number(process.env.DETECTOR_LATENESS_MS ?? DEFAULT_DETECTOR_PARAMS.latenessMs),
    },
  },
  clips: { minScore: Number(BENCH_CLIP_MIN_SCORE ?? 6) },
});
await processor.start();
process.send({ type: 'ready' });

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'stop') return;
  void (async () => {
    // Each step is reported, so a stop that hangs says where.
    const step = (name: string): void => {
      process.send!({ type: 'stopping', step: name });
    };
    step('processor.stop');
    await processor.stop();
    step('log.close');
    await log.close();
    step('store.close');
    await store.close();
    const processed = (await metrics.eventsProcessed.get()).values[0]?.value ?? 0;
    // Exits as the CLI does once everything is closed, not when the last handle happens to go.
    process.send!({ type: 'stopped', processed }, () => process.exit(0));
  })();
});
