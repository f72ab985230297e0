// `npm run services:up | services:down | services:status`: the services of distributed mode on
// this machine without Docker: a single-node Kafka (Apache Kafka's jars from Maven Central) and
// a PostgreSQL (the embedded one the app uses), for tests and development.
//
// `up` starts a small background process that owns both servers (the embedded PostgreSQL lives
// as long as the Node process that started it) and prints their addresses once they answer;
// `down` asks it to stop them. State, data and logs are under .services/ (SERVICES_DIR).
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { stopOnSignals } from '../src/cli/stop-on-signals.ts';
import { createLogger } from '../src/ops/logger.ts';
import { startEmbeddedPostgres } from '../src/storage/embedded-postgres-server.ts';
import { startKafkaBroker, waitUntilAnswering } from './services/kafka-broker.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIR = resolve(ROOT, process.env.SERVICES_DIR ?? '.services');
const STATE = join(DIR, 'state.json');
const LOG = join(DIR, 'services.log');
/** The first `up` downloads Kafka (~45 MB) before starting it. */
const UP_TIMEOUT_MS = 10 * 60_000;
const DOWN_TIMEOUT_MS = 60_000;

interface State {
  /** The background process that owns the servers. */
  pid: number;
  kafkaPid: number;
  env: { KAFKA_BROKERS: string; DATABASE_URL: string };
}

async function up(): Promise<void> {
  const running = await runningState();
  if (running) return printEnv(running);
  await mkdir(DIR, { recursive: true });
  await rm(STATE, { force: true });
  const log = await open(LOG, 'a');
  const daemon = spawn(process.execPath, [fileURLToPath(import.meta.url), 'run'], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  });
  await log.close();
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()));
  daemon.unref();
  const deadline = Date.now() + UP_TIMEOUT_MS;
  for (;;) {
    const state = await readState();
    if (state) return printEnv(state);
    const gone = await Promise.race([exited.then(() => true), sleep(250, false)]);
    if (gone || Date.now() > deadline) {
      const tail = (await readFile(LOG, 'utf8').catch(() => '')).slice(-3000);
      throw new Error(`services did not start; the end of ${LOG}:\n${tail}`);
    }
  }
}

/** The background process: starts both servers, records their addresses, stops them on a signal. */
async function runServices(): Promise<void> {
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const started = Date.now();
  const kafka = await startKafkaBroker(join(DIR, 'kafka'), optionalPort('KAFKA_PORT'));
  let postgres;
  try {
    postgres = await startEmbeddedPostgres({
      dataDir: join(DIR, 'postgres'),
      logger,
      port: optionalPort('POSTGRES_PORT'),
    });
  } catch (error) {
    await kafka.stop();
    throw error;
  }
  const state: State = {
    pid: process.pid,
    kafkaPid: kafka.pid,
    env: { KAFKA_BROKERS: kafka.brokers, DATABASE_URL: postgres.url },
  };
  await writeFile(STATE, JSON.stringify(state, null, 2), { mode: 0o600 });
  console.log(`services up in ${Date.now() - started} ms: ${JSON.stringify(state.env)}`);
  await stopOnSignals(async () => {
    await rm(STATE, { force: true });
    await Promise.all([kafka.stop(), postgres.stop()]);
  }, logger);
}

async function down(): Promise<void> {
  const state = await readState();
  if (!state) return;
  if (isAlive(state.pid)) {
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + DOWN_TIMEOUT_MS;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(100);
  }
  // A background process killed without a chance to clean up leaves its broker running.
  if (isAlive(state.kafkaPid) && (await commandLine(state.kafkaPid)).includes('kafka.Kafka')) {
    process.kill(state.kafkaPid, 'SIGKILL');
  }
  await rm(STATE, { force: true });
  console.log('services down');
}

async function status(): Promise<void> {
  const state = await runningState();
  if (!state) {
    console.log('services are not running (npm run services:up)');
    process.exitCode = 1;
    return;
  }
  printEnv(state);
}

/** The recorded state, if its process lives and its broker answers. */
async function runningState(): Promise<State | undefined> {
  const state = await readState();
  if (!state || !isAlive(state.pid)) return undefined;
  await waitUntilAnswering(state.env.KAFKA_BROKERS, 10_000);
  return state;
}

async function readState(): Promise<State | undefined> {
  return readFile(STATE, 'utf8').then(
    (text) => JSON.parse(text) as State,
    () => undefined,
  );
}

function printEnv(state: State): void {
  for (const [name, value] of Object.entries(state.env)) console.log(`${name}=${value}`);
}

function optionalPort(name: string): number | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : Number(value);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function commandLine(pid: number): Promise<string> {
  return readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
}

const commands: Record<string, () => Promise<void>> = { up, down, status, run: runServices };
const command = commands[process.argv[2] ?? ''];
if (command === undefined) {
  console.error('usage: node scripts/services.ts up|down|status');
  process.exitCode = 2;
} else {
  await command().catch((error: unknown) => {
    console.error(`services: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
