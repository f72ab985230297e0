// One PostgreSQL for the whole test run: the server in DATABASE_URL (or POSTGRES_URL) when set,
// else an embedded one in a temporary folder. Test files each create their own database on it
// (see database.ts), so they can run in parallel.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createLogger } from '../../src/ops/logger.ts';
import { startEmbeddedPostgres } from '../../src/storage/embedded-postgres-server.ts';
import { findFreePort } from '../../src/storage/free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the test PostgreSQL server: allowed to create and drop databases. */
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
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
