// The Kysely handle over a `pg` connection pool: the one way storage code talks to PostgreSQL.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from '../ops/logger.ts';
import type { Database } from './schema-types.ts';

/** Enough for the API and the pipeline's batched writes; PostgreSQL's default cap is 100 connections. */
const POOL_SIZE = 10;

export function createDatabase({ url, logger }: { url: string; logger: Logger }): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    application_name: 'streamscout',
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled, it would crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle PostgreSQL connection failed'));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
