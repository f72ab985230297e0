// A clipper against the real things it talks to: a migrated PostgreSQL of its own, the fake
// Helix/OAuth server (Create Clip, Get Clips, token refresh) and a token file on disk. Waits are
// shortened (checks every 200 ms) so a whole clip's life takes about a second.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { Registry } from 'prom-client';
import { clipDeadline } from '../../src/clips/clip-window.ts';
import type { ClipCandidate } from '../../src/clips/clip-candidate.ts';
import { ClipMetrics } from '../../src/clips/clip-metrics.ts';
import { Clipper, type ClipperOptions } from '../../src/clips/clipper.ts';
import { TwitchClips } from '../../src/clips/twitch-clips.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { HelixClient, type HelixClientOptions } from '../../src/sources/twitch/helix-client.ts';
import { TwitchMetrics } from '../../src/sources/twitch/twitch-metrics.ts';
import { UserTokenFile, writeUserTokenFile } from '../../src/sources/twitch/user-token-file.ts';
import { createDatabase } from '../../src/storage/database.ts';
import type { ClipAttemptsTable } from '../../src/storage/schema-types.ts';
import type { Selectable } from 'kysely';
import { FakeHelixServer } from '../support/fake-twitch/fake-helix-server.ts';
import { lifecycle } from '../support/records.ts';
import { openTestStore, type TestStore } from '../support/store.ts';

export const CLIENT_ID = 'fake-client-id';
export const CLIENT_SECRET = 'fake-client-secret';
export const CHANNELS = ['alpha', 'beta', 'gamma'] as const;

export interface ClipBench {
  db: TestStore;
  helix: FakeHelixServer;
  tokenFile: string;
  registry: Registry;
  /** The Twitch user id of a live fake channel. */
  channelId(login: string): string;
  /** A moment worth clipping whose peak was just now. */
  candidate(overrides?: Partial<ClipCandidate>): ClipCandidate;
  clipper(overrides?: Partial<ClipperOptions>, helix?: Partial<HelixClientOptions>): Clipper;
  attempt(momentId: string): Promise<Selectable<ClipAttemptsTable>>;
  clipRows(): Promise<{ clip_id: string; moment_id: string | null }[]>;
  /** A metric's value as /metrics would show it (sum over labels matching `labels`). */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** Refuses new connections to the test database and drops the open ones, until `reopen`. */
  cutDatabase(): Promise<void>;
  reopenDatabase(): Promise<void>;
  close(): Promise<void>;
}

let sequence = 0;

export async function startClipBench(): Promise<ClipBench> {
  const db = await openTestStore();
  const helix = await FakeHelixServer.start({
    clients: { [CLIENT_ID]: CLIENT_SECRET },
    clipProcessingMs: 150,
  });
  helix.setStreams(
    CHANNELS.map((login, rank) => ({ user_login: login, viewer_count: 100 - rank })),
  );
  const channelId = (login: string): string =>
    helix.streams.find((stream) => stream.user_login === login)!.user_id;
  await db.store.applyLifecycle(
    CHANNELS.map((login) =>
      lifecycle({ kind: 'online', ts: Date.now(), channel: login, channel_id: channelId(login) }),
    ),
  );
  const dir = await mkdtemp(join(tmpdir(), 'streamscout-clips-'));
  const tokenFile = join(dir, 'tokens.json');
  const issued = helix.issueUserToken({ login: 'scout', scopes: ['chat:read', 'clips:edit'] });
  await writeUserTokenFile(tokenFile, {
    access_token: issued.accessToken,
    refresh_token: issued.refreshToken,
    scopes: ['chat:read', 'clips:edit'],
  });
  const registry = new Registry();
  const twitchMetrics = new TwitchMetrics(registry);
  const clipMetrics = new ClipMetrics(registry);
  const clippers: Clipper[] = [];
  // A second handle on the database for the test's own looks, outside the store's pool.
  const admin = createDatabase({ url: db.url, logger: silentLogger });
  const databaseName = new URL(db.url).pathname.slice(1);

  return {
    db,
    helix,
    tokenFile,
    registry,
    channelId,
    candidate: (overrides = {}) => {
      const now = Date.now();
      sequence += 1;
      const peakTs = overrides.peak_ts ?? now - 8_000;
      return {
        moment_id: `moment-${sequence}-${now}`,
        channel_id: channelId('alpha'),
        channel: 'alpha',
        start_ts: peakTs - 6_000,
        peak_ts: peakTs,
        score: 7.5,
        title: '"no way" (40 chatters reacted)',
        clip_by: clipDeadline(peakTs),
        ...overrides,
      };
    },
    clipper: (overrides = {}, helixOverrides = {}) => {
      const tokens = new UserTokenFile({
        path: tokenFile,
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        authBaseUrl: helix.authBaseUrl,
      });
      const client = new HelixClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiBaseUrl: helix.apiBaseUrl,
        authBaseUrl: helix.authBaseUrl,
        userToken: tokens,
        metrics: twitchMetrics,
        backoff: { initialMs: 50, maxMs: 200 },
        ...helixOverrides,
      });
      sequence += 1;
      const clipper = new Clipper({
        outbox: db.store.clipOutbox({ owner: `test-clipper-${sequence}`, leaseMs: 2_000 }),
        twitch: new TwitchClips(client),
        creatorId: async () => (await tokens.current()).userId,
        limits: { perMinute: 100, channelCooldownMs: 0 },
        notClippableMs: 86_400_000,
        metrics: clipMetrics,
        logger: silentLogger,
        pollMs: 100,
        confirmDelaysMs: [200, 200, 200, 400],
        searchDelaysMs: [200, 200, 400],
        ...overrides,
      });
      clippers.push(clipper);
      return clipper;
    },
    attempt: async (momentId) =>
      admin
        .selectFrom('clip_attempts')
        .selectAll()
        .where('moment_id', '=', momentId)
        .executeTakeFirstOrThrow(),
    clipRows: () => admin.selectFrom('clips').select(['clip_id', 'moment_id']).execute(),
    metric: async (name, labels = {}) => {
      const metric = registry.getSingleMetric(name);
      if (metric === undefined) return 0;
      const { values } = await metric.get();
      // A counter's samples carry no metric name; a histogram's count is its `_count` sample.
      return values
        .filter((value) => {
          const sample = (value as { metricName?: string }).metricName;
          return sample === undefined || sample === `${name}_count`;
        })
        .filter((value) =>
          Object.entries(labels).every(([key, wanted]) => String(value.labels[key]) === wanted),
        )
        .reduce((sum, value) => sum + value.value, 0);
    },
    cutDatabase: () =>
      onServer(async (server) => {
        const name = server.escapeIdentifier(databaseName);
        await server.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
        await server.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
          [databaseName],
        );
      }),
    reopenDatabase: () =>
      onServer((server) =>
        server.query(
          `ALTER DATABASE ${server.escapeIdentifier(databaseName)} ALLOW_CONNECTIONS true`,
        ),
      ),
    close: async () => {
      await Promise.all(clippers.map((clipper) => clipper.stop()));
      await admin.destroy();
      await helix.close();
      await db.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `work` on a connection to the test server's maintenance database. */
async function onServer(work: (server: pg.Client) => Promise<unknown>): Promise<void> {
  const server = new pg.Client({ connectionString: inject('databaseUrl') });
  await server.connect();
  try {
    await work(server);
  } finally {
    await server.end();
  }
}
