// Moments are written when they open and rewritten until they end: a row says whether it is
// still live, and when its final version was written. `detected_at` (the first write, never
// changed by an upsert) now says when the moment was first seen, while it was live.
import { sql, type Kysely } from 'kysely';

// Migrations see the database as it was when they were written, not today's schema types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('moments')
    // Rows written before this migration were written when their moment ended: final.
    .addColumn('live', 'boolean', (column) => column.notNull().defaultTo(false))
    // Null while live: the wall clock of the write that made the row final.
    .addColumn('final_at', 'timestamptz')
    .execute();
  await db
    .updateTable('moments')
    .set({ final_at: sql`detected_at` })
    .execute();
}
