// A single-node KRaft Kafka (broker and controller in one JVM) on loopback, for tests and
// development: formatted on first start, restarted on the same ports afterwards (the
// controller's address is written into the cluster's metadata when it is formatted).
import { spawn, execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, mkdir, readFile, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { findFreePort, isPortFree, LOOPBACK } from '../../src/storage/free-port.ts';
import { kafkaJars } from './kafka-jars.ts';

const run = promisify(execFile);

/** A broker that is not answering after this long will not: its log says why. */
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;

export interface KafkaBroker {
  /** `host:port`, what KAFKA_BROKERS takes. */
  brokers: string;
  pid: number;
  stop(): Promise<void>;
}

interface Ports {
  broker: number;
  controller: number;
}

/**
 * Starts a broker whose data, configuration and log live in `dir`. A `dir` used before keeps
 * its topics and its ports; `port` only matters the first time.
 */
export async function startKafkaBroker(dir: string, port?: number): Promise<KafkaBroker> {
  const lib = await kafkaJars();
  await mkdir(dir, { recursive: true });
  const ports = await portsFor(dir, port);
  const properties = join(dir, 'server.properties');
  const log4j = join(dir, 'log4j2.properties');
  await writeFile(properties, serverProperties(dir, ports));
  await writeFile(log4j, LOG4J);
  const classpath = `${lib}/*`;
  if (!(await exists(join(dir, 'data', 'meta.properties')))) {
    await run('java', [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '--standalone',
      '--cluster-id',
      clusterId(),
      '--config',
      properties,
    ]);
  }
  const logFile = await open(join(dir, 'server.log'), 'a');
  const child = spawn(
    'java',
    [
      // Small-machine settings: Kafka's default heap is 1 GB and it tunes for throughput.
      '-Xms128m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      properties,
    ],
    { stdio: ['ignore', logFile.fd, logFile.fd] },
  );
  await logFile.close();
  const pid = child.pid;
  if (pid === undefined) throw new Error('java could not be started');
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const brokers = `${LOOPBACK}:${ports.broker}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // Unreferenced while it runs (it must not keep a test run alive); waited for while it stops.
    child.ref();
    child.kill('SIGTERM');
    const done = await Promise.race([
      exited.then(() => true),
      sleep(STOP_TIMEOUT_MS, false, { ref: false }),
    ]);
    if (!done) child.kill('SIGKILL');
  };
  const ready = await Promise.race([
    waitUntilAnswering(brokers).then(() => true),
    exited.then(() => false),
  ]);
  if (!ready) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    throw new Error(
      `Kafka exited during start; the end of ${dir}/server.log:\n${log.slice(-3000)}`,
    );
  }
  child.unref();
  return { brokers, pid, stop };
}

/** Ready means a metadata request answers with this broker in it, as clients will see it. */
export async function waitUntilAnswering(
  brokers: string,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new Admin({
      clientId: 'streamscout-services',
      bootstrapBrokers: [brokers],
      retries: 0,
      timeout: 2_000,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      if (metadata.brokers.size > 0) return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`Kafka at ${brokers} did not answer`, { cause: error });
    } finally {
      await admin.close().catch(() => {});
    }
    await sleep(250);
  }
}

async function portsFor(dir: string, port: number | undefined): Promise<Ports> {
  const file = join(dir, 'ports.json');
  const saved = await readFile(file, 'utf8').then(
    (text) => JSON.parse(text) as Ports,
    () => undefined,
  );
  if (saved !== undefined) {
    for (const taken of [saved.broker, saved.controller]) {
      if (!(await isPortFree(taken))) {
        throw new Error(
          `port ${taken} of the Kafka in ${dir} is taken: stop what holds it, or remove ${dir}`,
        );
      }
    }
    return saved;
  }
  const ports = { broker: port ?? (await findFreePort()), controller: await findFreePort() };
  await writeFile(file, JSON.stringify(ports));
  return ports;
}

/** Kafka's Uuid text form: 16 random bytes, base64url without padding. */
function clusterId(): string {
  return randomBytes(16).toString('base64url');
}

function serverProperties(dir: string, ports: Ports): string {
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    listeners: `PLAINTEXT://${LOOPBACK}:${ports.broker},CONTROLLER://${LOOPBACK}:${ports.controller}`,
    'advertised.listeners': `PLAINTEXT://${LOOPBACK}:${ports.broker}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.quorum.bootstrap.servers': `${LOOPBACK}:${ports.controller}`,
    'log.dirs': join(dir, 'data'),
    // One node: every internal topic has one replica.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Fewer internal partitions than the default 50: starts faster, plenty for one node.
    'offsets.topic.num.partitions': 5,
    // Topics are created by Stream Scout with its own partition counts and retention.
    'auto.create.topics.enable': 'false',
    'num.partitions': 1,
    // A group forms as soon as its first member joins: tests and restarts do not wait 3 s.
    'group.initial.rebalance.delay.ms': 0,
    // Small segments so retention can delete old data on a developer's disk.
    'log.segment.bytes': 64 * 1024 * 1024,
    'num.network.threads': 2,
    'num.io.threads': 4,
  };
  return Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

/** Warnings and errors only, to server.log through the child's stdout. */
const LOG4J = [
  'rootLogger.level=WARN',
  'rootLogger.appenderRef.stdout.ref=STDOUT',
  'appender.stdout.type=Console',
  'appender.stdout.name=STDOUT',
  'appender.stdout.layout.type=PatternLayout',
  'appender.stdout.layout.pattern=[%d] %p %m (%c)%n',
  // Kafka's "started" line, so the log shows each start.
  'logger.server.name=kafka.server.KafkaRaftServer',
  'logger.server.level=INFO',
].join('\n');

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
