// A PostgresStore on a fresh, migrated database of its own.
import { silentLogger } from '../../src/ops/logger.ts';
import { openStore, type PostgresStore } from '../../src/storage/postgres-store.ts';
import { createTestDatabase } from './database.ts';

export interface TestStore {
  store: PostgresStore;
  url: string;
  /** Closes the store and drops its database. */
  dispose(): Promise<void>;
}

export async function openTestStore(): Promise<TestStore> {
  const database = await createTestDatabase();
  const store = await openStore({ url: database.url, logger: silentLogger });
  return {
    store,
    url: database.url,
    dispose: async () => {
      await store.close();
      await database.drop();
    },
  };
}
