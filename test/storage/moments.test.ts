import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Moment } from '../../src/processing/moment.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { InvalidCursorError } from '../../src/storage/keyset-cursor.ts';
import { T0, moment, unclipped } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

describe('moments in PostgreSQL', () => {
  let test: TestStore;
  beforeAll(async () => {
    test = await openTestStore();
  });
  afterAll(() => test.dispose());
  beforeEach(async () => {
    const db = createDatabase({ url: test.url, logger: silentLogger });
    await sql`truncate moments, streamers cascade`.execute(db);
    await db.destroy();
  });

  it('keeps one row per moment id however often it is saved', async () => {
    const first = moment({ start_ts: T0 });
    await test.store.saveMoments([first]);
    await test.store.saveMoments([first, { ...first, score: 8.25, end_ts: first.end_ts + 5_000 }]);

    const page = await test.store.listMoments({ limit: 10 });
    expect(page.moments).toEqual([
      unclipped({ ...first, score: 8.25, end_ts: first.end_ts + 5_000 }),
    ]);
    expect(page.next_cursor).toBeNull();
  });

  /** What the feed does not show: when the row was first written, and when it became final. */
  async function writeTimes(id: string) {
    const db = createDatabase({ url: test.url, logger: silentLogger });
    try {
      return await db
        .selectFrom('moments')
        .select(['detected_at', 'final_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    } finally {
      await db.destroy();
    }
  }

  it('writes a moment live when it opens and final when it ends, under one id', async () => {
    const opened = moment({ start_ts: T0, score: 4.5, end_ts: T0 + 2_000 });
    await test.store.saveMoments([], [opened]);
    expect((await test.store.listMoments({ limit: 10 })).moments).toEqual([
      unclipped(opened, true),
    ]);
    const firstSeen = await writeTimes(opened.id);
    expect(firstSeen.final_at).toBeNull();

    // The peak report: still live, what is known so far.
    const atPeak = { ...opened, score: 7.25, end_ts: T0 + 5_000 };
    await test.store.saveMoments([], [atPeak]);
    expect((await test.store.listMoments({ limit: 10 })).moments).toEqual([
      unclipped(atPeak, true),
    ]);

    const ended = { ...opened, score: 8, end_ts: T0 + 9_000 };
    await test.store.saveMoments([ended]);
    expect((await test.store.listMoments({ limit: 10 })).moments).toEqual([unclipped(ended)]);
    const final = await writeTimes(opened.id);
    // First seen stays the first write's time: the latency a reader saw.
    expect(final.detected_at).toEqual(firstSeen.detected_at);
    expect(final.final_at!.getTime()).toBeGreaterThanOrEqual(firstSeen.detected_at.getTime());
  });

  it('never lets a live row replace a final one', async () => {
    const opened = moment({ start_ts: T0, score: 4.5, end_ts: T0 + 2_000 });
    const ended = { ...opened, score: 8, end_ts: T0 + 9_000 };
    await test.store.saveMoments([ended]);
    const finalAt = (await writeTimes(opened.id)).final_at;
    // An opening replayed after the moment ended (a takeover, a retried batch).
    await test.store.saveMoments([], [opened]);
    expect((await test.store.listMoments({ limit: 10 })).moments).toEqual([unclipped(ended)]);
    // Written final again (re-processing): same row, same time it became final.
    await test.store.saveMoments([ended]);
    expect((await writeTimes(opened.id)).final_at).toEqual(finalAt);

    // In one batch, a moment that opened and ended is written final, whatever the order.
    const other = moment({ start_ts: T0 + 60_000 });
    await test.store.saveMoments([other], [{ ...other, score: 4 }]);
    const page = await test.store.listMoments({ limit: 10 });
    expect(page.moments).toEqual([unclipped(other), unclipped(ended)]);
  });

  it('ends the moments a previous run left live, as they stand', async () => {
    const open = moment({ start_ts: T0, score: 5, end_ts: T0 + 3_000 });
    const ended = moment({ start_ts: T0 + 60_000 });
    await test.store.saveMoments([ended], [open]);
    const endedAt = (await writeTimes(ended.id)).final_at;

    expect(await test.store.endLiveMoments()).toBe(1);
    expect((await test.store.listMoments({ limit: 10 })).moments).toEqual([
      unclipped(ended),
      unclipped(open),
    ]);
    expect((await writeTimes(open.id)).final_at).not.toBeNull();
    expect((await writeTimes(ended.id)).final_at).toEqual(endedAt);
    expect(await test.store.endLiveMoments()).toBe(0);
  });

  it('reads back exactly what was saved, explanation included', async () => {
    const saved = moment({
      start_ts: T0 + 123,
      channel_id: '2002',
      channel: 'bravo',
      score: 4.125,
    });
    await test.store.saveMoments([saved]);
    expect((await test.store.listMoments({ limit: 1 })).moments).toEqual([unclipped(saved)]);
  });

  it('pages newest first without skipping or repeating while new moments arrive', async () => {
    const initial = Array.from({ length: 25 }, (_, index) =>
      moment({ start_ts: T0 + index * 60_000 }),
    );
    // Two moments share a start second on different channels: the id breaks the tie.
    initial.push(moment({ start_ts: T0 + 10 * 60_000, channel_id: '2002', channel: 'bravo' }));
    await test.store.saveMoments(initial);

    const seen: Moment[] = [];
    let cursor: string | undefined;
    let inserted = 0;
    do {
      const page = await test.store.listMoments({ limit: 7, cursor });
      seen.push(...page.moments);
      cursor = page.next_cursor ?? undefined;
      // Newer moments land at the head of the feed between page reads.
      inserted += 1;
      await test.store.saveMoments([moment({ start_ts: T0 + (100 + inserted) * 60_000 })]);
    } while (cursor !== undefined);

    const expected = [...initial].sort((a, b) => b.start_ts - a.start_ts || (a.id < b.id ? 1 : -1));
    expect(seen.map((m) => m.id)).toEqual(expected.map((m) => m.id));
  });

  it('filters by channel login or id, time range and score', async () => {
    await test.store.saveMoments([
      moment({ start_ts: T0, score: 5 }),
      moment({ start_ts: T0 + 60_000, score: 9 }),
      moment({ start_ts: T0 + 120_000, score: 7 }),
      moment({ start_ts: T0 + 60_000, channel_id: '2002', channel: 'bravo', score: 9 }),
    ]);
    const startsOf = async (query: Parameters<TestStore['store']['listMoments']>[0]) =>
      (await test.store.listMoments(query)).moments.map(
        (m) => `${m.channel}@${(m.start_ts - T0) / 1000}`,
      );

    expect(await startsOf({ limit: 10, channel: 'alpha' })).toEqual([
      'alpha@120',
      'alpha@60',
      'alpha@0',
    ]);
    expect(await startsOf({ limit: 10, channel: '2002' })).toEqual(['bravo@60']);
    expect(await startsOf({ limit: 10, channel: 'nobody' })).toEqual([]);
    // From inclusive, to exclusive; same-second moments are ordered by id, which is a hash.
    expect((await startsOf({ limit: 10, from: T0 + 60_000, to: T0 + 120_000 })).sort()).toEqual([
      'alpha@60',
      'bravo@60',
    ]);
    expect(await startsOf({ limit: 10, minScore: 7, channel: 'alpha' })).toEqual([
      'alpha@120',
      'alpha@60',
    ]);
  });

  it('follows a login to its channel id after a rename', async () => {
    await test.store.saveMoments([moment({ start_ts: T0, channel: 'oldname' })]);
    await test.store.saveMoments([moment({ start_ts: T0 + 60_000, channel: 'newname' })]);
    const page = await test.store.listMoments({ limit: 10, channel: 'newname' });
    expect(page.moments.map((m) => m.channel)).toEqual(['newname', 'oldname']);
  });

  it('rejects a cursor it did not issue', async () => {
    await expect(
      test.store.listMoments({ limit: 5, cursor: 'not-a-cursor' }),
    ).rejects.toBeInstanceOf(InvalidCursorError);
  });
});
