// Services for the whole test run, started once:
// - PostgreSQL: the server in DATABASE_URL (or POSTGRES_URL) when set, else an embedded one in a
//   temporary folder. Test files each create their own database on it (see database.ts), so
//   they can run in parallel.
// - Kafka: the brokers in KAFKA_BROKERS when set, else a single-node broker of our own (see
//   scripts/services/) when Java is installed, else none and the Kafka tests skip with a reason.
//   Test files use fresh topic and group names, so they share it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { javaAvailable } from '../../scripts/services/kafka-jars.ts';
import { startKafkaBroker } from '../../scripts/services/kafka-broker.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { startEmbeddedPostgres } from '../../src/storage/embedded-postgres-server.ts';
import { findFreePort } from '../../src/storage/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server: allowed to create and drop databases. */
    databaseUrl: string;
    /** Comma-separated `host:port` of the test Kafka, or '' when there is none. */
    kafkaBrokers: string;
    /** Why there is no Kafka, when there is none. */
    kafkaSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [postgres, kafka] = await Promise.all([startPostgres(project), startKafka(project)]);
  return async () => {
    await Promise.all([postgres(), kafka()]);
  };
}

async function startPostgres(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL ?? process.env.POSTGRES_URL;
  if (external !== undefined && external !== '') {
    project.provide('databaseUrl', external);
    return async () => {};
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'streamscout-test-pg-'));
  // Warnings and errors only: PostgreSQL's own output stays out of the test report unless LOG_LEVEL=debug.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  // A free port rather than the app's default, so a running Stream Scout is never disturbed.
  const server = await startEmbeddedPostgres({ dataDir, logger, port: await findFreePort() });
  project.provide('databaseUrl', server.url);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

async function startKafka(project: TestProject): Promise<() => Promise<void>> {
  project.provide('kafkaSkipReason', '');
  const external = process.env.KAFKA_BROKERS ?? process.env.KAFKA_BROKER_URL;
  // Tests get the broker through inject() only: a `streamscout start` a test spawns with this
  // process's environment runs embedded, as it would on a developer's machine, unless the test
  // asks for Kafka (test workers start after this and inherit the environment).
  delete process.env.KAFKA_BROKERS;
  delete process.env.KAFKA_BROKER_URL;
  if (external !== undefined && external !== '') {
    project.provide('kafkaBrokers', external);
    return async () => {};
  }
  project.provide('kafkaBrokers', '');
  // CI starts the services first (.ci/run): there the Kafka tests must run, never skip.
  if (process.env.CI === 'true') throw new Error('CI runs tests with KAFKA_BROKERS set');
  if (!(await javaAvailable())) {
    project.provide('kafkaSkipReason', 'no KAFKA_BROKERS and no java to start a broker');
    return async () => {};
  }
  const dir = await mkdtemp(join(tmpdir(), 'streamscout-test-kafka-'));
  try {
    const broker = await startKafkaBroker(dir);
    project.provide('kafkaBrokers', broker.brokers);
    return async () => {
      await broker.stop();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (error) {
    // CI provides KAFKA_BROKERS, so this only ever skips on a developer's machine.
    project.provide(
      'kafkaSkipReason',
      `no KAFKA_BROKERS and none could be started: ${(error as Error).message.split('\n')[0]}`,
    );
    await rm(dir, { recursive: true, force: true });
    return async () => {};
  }
}
