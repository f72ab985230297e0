// The PostgreSQL behind a process: the one in DATABASE_URL, or an embedded one under the
// data folder (a real PostgreSQL, started and stopped with the process).
import type { Config } from '../config.ts';
import type { Logger } from '../ops/logger.ts';
import { startEmbeddedPostgres } from '../storage/embedded-postgres-server.ts';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function databaseServer(config: Config, logger: Logger): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({ dataDir: config.dataDir, logger });
  return { url: server.url, embedded: true, stop: () => server.stop() };
}
