import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { Migrator } from 'kysely/migration';
import { migrateToLatest } from '../../src/storage/migrate.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
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
      expect(await migrateToLatest(db)).toEqual([
        '0001-initial-schema',
        '0002-clip-outbox',
        '0003-live-moments',
      ]);
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
      expect(ran.flat()).toEqual(['0001-initial-schema', '0002-clip-outbox', '0003-live-moments']);
    } finally {
      await first.destroy();
      await second.destroy();
      await other.drop();
    }
  });

  it('keeps moments stored before live rows existed final, finalised when they were stored', async () => {
    const other = await createTestDatabase();
    const db = createDatabase({ url: other.url, logger: silentLogger });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider });
      expect((await migrator.migrateTo('0002-clip-outbox')).error).toBeUndefined();
      await sql`insert into streamers (id, login) values ('1001', 'alpha')`.execute(db);
      await sql`insert into moments (id, channel_id, channel, start_ts, peak_ts, end_ts, score,
          explanation, detected_at)
        values ('m1', '1001', 'alpha', now(), now(), now(), 5, '{}', '2024-05-01T12:00:00Z')`.execute(
        db,
      );
      expect(await migrateToLatest(db)).toEqual(['0003-live-moments']);
      const rows = await db.selectFrom('moments').select(['live', 'final_at']).execute();
      expect(rows).toEqual([{ live: false, final_at: new Date('2024-05-01T12:00:00Z') }]);
    } finally {
      await db.destroy();
      await other.drop();
    }
  });
});
