// Every migration, imported statically: bundlers and `node` alike see the full set, no directory scan.
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initialSchema from './0001-initial-schema.ts';
import * as clipOutbox from './0002-clip-outbox.ts';
import * as liveMoments from './0003-live-moments.ts';

const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-clip-outbox': clipOutbox,
  '0003-live-moments': liveMoments,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
