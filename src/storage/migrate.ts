// Brings a database to the newest schema. Safe to run from several processes at once:
// Kysely's migrator holds a lock row while it works.
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './schema-types.ts';
import { migrationProvider } from './migrations/index.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Runs pending migrations; returns the names of those that ran (empty when already up to date). */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName;
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      failed === undefined
        ? `database migration failed: ${reason}`
        : `database migration ${failed} failed: ${reason}`,
      { cause: error },
    );
  }
  return results
    .filter((result) => result.status === 'Success')
    .map((result) => result.migrationName);
}
