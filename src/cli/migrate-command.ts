// `streamscout migrate`: bring the database schema up to date (start does this too).
import { Command } from 'commander';
import { databaseServer } from '../app/database-server.ts';
import { loadConfig } from '../config.ts';
import { createLogger } from '../ops/logger.ts';
import { createDatabase } from '../storage/database.ts';
import { migrateToLatest } from '../storage/migrate.ts';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'Apply database migrations to DATABASE_URL, or to the embedded PostgreSQL under --data-dir',
    )
    .option('--data-dir <dir>', 'embedded PostgreSQL data folder (env DATA_DIR, default ./data)')
    .action(async (options: { dataDir?: string }) => {
      const config = loadConfig(process.env, { dataDir: options.dataDir });
      const logger = createLogger(
        config.logLevel === 'info' ? 'warn' : config.logLevel,
        config.logFormat,
      );
      const server = await databaseServer(config, logger);
      const db = createDatabase({ url: server.url, logger });
      try {
        const applied = await migrateToLatest(db);
        process.stdout.write(
          applied.length === 0 ? 'database is up to date\n' : `applied: ${applied.join(', ')}\n`,
        );
      } finally {
        await db.destroy();
        await server.stop();
      }
    });
}
