import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';

describe('migrations', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('creates the schema once, then has nothing left to do', async () => {
    const db = createDatabase({ url: database.url, logger: silentLogger });
    try {
      expect(await migrateToLatest(db)).toEqual(['0001-initial-schema', '0002-clip-outbox']);
      expect(await migrateToLatest(db)).toEqual([]);

      const tables = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = 'public' and table_name not like 'kysely_%' order by table_name`.execute(
        db,
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'clip_attempts',
        'clip_calls',
        'clip_channel_blocks',
        'clips',
        'moments',
        'stream_metrics',
        'streamers',
        'streams',
        'viewer_counts',
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('lets concurrent processes migrate the same database', async () => {
    const other = await createTestDatabase();
    const first = createDatabase({ url: other.url, logger: silentLogger });
    const second = createDatabase({ url: other.url, logger: silentLogger });
    try {
      const ran = await Promise.all([migrateToLatest(first), migrateToLatest(second)]);
      expect(ran.flat()).toEqual(['0001-initial-schema', '0002-clip-outbox']);
    } finally {
      await first.destroy();
      await second.destroy();
      await other.drop();
    }
  });
});
