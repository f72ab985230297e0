// The Kysely handle over a `pg` connection pool: the one way storage code talks to PostgreSQL.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../ops/logger.ts';
import type { Database } from './schema-types.ts';

/** Enough for the API and the pipeline's batched writes; PostgreSQL's default cap is 100 connections. */
const POOL_SIZE = 10;

export function createDatabase({ url, logger }: { url: string; logger: Logger }): Kysely<Database> {
  const pool = new DrainingPool({
    connectionString: url,
    max: POOL_SIZE,
    application_name: 'streamscout',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the
  // process. Only message and code are logged: pg hangs the whole client (config and all) on it.
  pool.on('error', (error: Error & { code?: string }) =>
    logger.warn({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * A pool whose end() resolves once every connection has closed. pg's resolves as soon as it has
 * asked them to close: an embedded PostgreSQL stopped right after then cut connections still
 * saying goodbye, and each one logged a failure.
 */
class DrainingPool extends pg.Pool {
  #open = 0;
  #drained: (() => void) | undefined;

  constructor(config: pg.PoolConfig) {
    super(config);
    this.on('connect', () => (this.#open += 1));
    this.on('remove', () => {
      this.#open -= 1;
      if (this.#open === 0) this.#drained?.();
    });
  }

  override end(): Promise<void>;
  override end(callback: () => void): void;
  override end(callback?: () => void): Promise<void> | void {
    const drained = new Promise<void>((resolve) => {
      if (this.#open === 0) resolve();
      else this.#drained = resolve;
    });
    const ended = super.end().then(() => drained);
    if (callback === undefined) return ended;
    ended.then(callback, callback);
  }
}
