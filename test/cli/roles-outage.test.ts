// Issue 6, the seed's reliable / processing split: `streamscout serve` keeps answering while
// every `streamscout process` is down for two minutes and `streamscout monitor` keeps
// publishing; the restarted processor drains the lag from its committed offsets, and the moments
// it finds then carry the time they happened, not the time they were found.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import { createDatabase } from '../../src/storage/database.ts';
import { findFreePort } from '../../src/storage/free-port.ts';
import { openStore } from '../../src/storage/postgres-store.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKafka } from '../support/kafka.ts';
import { poll } from '../support/poll.ts';
import { consumerLag, spawnRole, type RoleChild } from '../support/roles.ts';

const { brokers } = testKafka();
/** What the issue asks for; the whole test takes about three and a half minutes. */
const OUTAGE_MS = 120_000;

const children: RoleChild[] = [];
let database: TestDatabase | undefined;

afterAll(async () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  await database?.drop();
});

interface ApiMoment {
  id: string;
  start_ts: number;
}

describe.skipIf(brokers === undefined)('processing down for two minutes', () => {
  it('serve answers throughout; after the restart the lag drains and moments keep their times', async () => {
    database = await createTestDatabase();
    const store = await openStore({ url: database.url, logger: silentLogger });
    await store.close(); // migrated once, before the roles start
    const port = await findFreePort();
    const api = `http://127.0.0.1:${port}`;
    const env = {
      KAFKA_BROKERS: brokers!.join(','),
      KAFKA_TOPIC_PREFIX: `outage-${randomBytes(4).toString('hex')}-`,
      DATABASE_URL: database.url,
      HTTP_HOST: '127.0.0.1',
      METRICS_PORT: '0',
      SIMULATOR_CHANNELS: '16',
    };
    const serve = spawnRole('serve', ['--port', String(port)], env);
    const monitor = spawnRole('monitor', [], env);
    let processor = spawnRole('process', [], env);
    children.push(serve, monitor, processor);
    await Promise.all([serve.url, monitor.url, processor.url]);

    const moments = async (): Promise<ApiMoment[]> => {
      const response = await fetch(`${api}/api/v1/moments?limit=200`);
      expect(response.status).toBe(200);
      return ((await response.json()) as { moments: ApiMoment[] }).moments;
    };
    // The simulator's five minutes of history give moments at once.
    await poll(async () => ((await moments()).length > 0 ? true : undefined), 120_000).catch(
      (error: unknown) => {
        const tail = (role: RoleChild) => JSON.stringify(role.logs.slice(-5)) + role.stderr();
        throw new Error(`no moments: ${[serve, monitor, processor].map(tail).join('\n')}`, {
          cause: error,
        });
      },
    );

    expect(await processor.stop()).toBe(0);
    const stoppedAt = Date.now();
    const before = new Set((await moments()).map((moment) => moment.id));
    // Every processor down: the API and /ready keep answering, the monitor keeps publishing.
    let answered = 0;
    while (Date.now() - stoppedAt < OUTAGE_MS) {
      const ready = await fetch(`${api}/ready`);
      expect(ready.status).toBe(200);
      await moments();
      answered += 1;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(monitor.child.exitCode).toBeNull();

    processor = spawnRole('process', [], env);
    children.push(processor);
    const restartedAt = Date.now();
    const metricsUrl = await processor.url;
    await poll(async () => ((await consumerLag(metricsUrl)) === 0 ? true : undefined), 120_000);
    const drainMs = Date.now() - restartedAt;

    // Moments that happened while processing was down: found after the restart, at their time.
    const during = await poll(async () => {
      const found = (await moments()).filter(
        (moment) =>
          !before.has(moment.id) &&
          moment.start_ts >= stoppedAt - 30_000 &&
          moment.start_ts < restartedAt,
      );
      return found.length > 0 ? found : undefined;
    }, 60_000);
    // Written after the restart (detected_at is when the row was stored), dated when it happened.
    const db = createDatabase({ url: database.url, logger: silentLogger });
    try {
      const rows = await db
        .selectFrom('moments')
        .select(['id', 'start_ts', 'detected_at'])
        .where(
          'id',
          'in',
          during.map((moment) => moment.id),
        )
        .execute();
      expect(rows).toHaveLength(during.length);
      for (const row of rows) {
        expect(row.detected_at.getTime()).toBeGreaterThanOrEqual(restartedAt - 1000);
        expect(row.start_ts.getTime()).toBeLessThan(restartedAt);
      }
    } finally {
      await db.destroy();
    }
    console.info(
      `outage: serve answered ${answered} times while processing was down ${OUTAGE_MS / 1000} s; lag drained ${drainMs} ms after the restart; ${during.length} moments from the outage found with their original times`,
    );
    for (const role of [processor, monitor, serve]) expect(await role.stop()).toBe(0);
  }, 420_000);
});
