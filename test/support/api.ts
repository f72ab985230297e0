// An API server over a PostgresStore on a fresh database, not listening (use `inject`) unless asked.
import type { FastifyInstance } from 'fastify';
import type { Readiness } from '../../src/api/readiness.ts';
import { buildApiServer } from '../../src/api/server.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import type { PostgresStore } from '../../src/storage/postgres-store.ts';
import { openTestStore } from './store.ts';

export interface TestApi {
  app: FastifyInstance;
  store: PostgresStore;
  metrics: Metrics;
  /** URL of the test database, for a second connection playing another process. */
  databaseUrl: string;
  dispose(): Promise<void>;
}

export async function startTestApi(
  options: { readiness?: Readiness; webRoot?: string } = {},
): Promise<TestApi> {
  const test = await openTestStore();
  const metrics = new Metrics({ defaults: false });
  const app = await buildApiServer({
    store: test.store,
    metrics,
    logger: silentLogger,
    readiness: options.readiness ?? (async () => [{ name: 'database', ok: true }]),
    webRoot: options.webRoot,
  });
  return {
    app,
    store: test.store,
    metrics,
    databaseUrl: test.url,
    dispose: async () => {
      await app.close();
      await test.dispose();
    },
  };
}
