// Stream discovery end to end against the fake Helix server: ranking with hysteresis across
// polls, allow and deny lists, lifecycle and viewers events, offline only after a fresh
// successful check, failed polls that change nothing, metrics, and the poll timer.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventSchema, type Lifecycle, type StreamEvent } from '../../../src/events/schema.ts';
import { LIFECYCLE_TOPIC, topicFor } from '../../../src/log/topics.ts';
import type {
  StreamDiscoveryOptions,
  WatchChanges,
} from '../../../src/sources/twitch/discovery-options.ts';
import { StreamDiscovery } from '../../../src/sources/twitch/stream-discovery.ts';
import { fakeStreamId, fakeUserId } from '../../support/fake-twitch/fake-ids.ts';
import { channelsRanked } from './rank-orders.ts';
import { inRankOrder, metricValue, startHelix, type HelixFixture } from './twitch-test-kit.ts';

let fixture: HelixFixture;

beforeEach(async () => {
  fixture = await startHelix();
});

afterEach(async () => {
  await fixture.close();
});

interface Harness {
  discovery: StreamDiscovery;
  /** Every publish call's events, in order. */
  published: StreamEvent[][];
  changes: WatchChanges[];
  /** Advances the clock by the poll interval and polls once. */
  poll(): ReturnType<StreamDiscovery['pollOnce']>;
  /** Lifecycle events of the last successful poll, as `kind:login`. */
  lastLifecycle(): string[];
}

function harness(options: Partial<StreamDiscoveryOptions> = {}): Harness {
  const published: StreamEvent[][] = [];
  const changes: WatchChanges[] = [];
  const discovery = new StreamDiscovery({
    client: fixture.client(),
    publisher: {
      publish: async (events) => {
        published.push(events);
      },
    },
    onChanges: (change) => changes.push(change),
    clock: fixture.time.clock,
    metrics: fixture.metrics,
    ...options,
  });
  return {
    discovery,
    published,
    changes,
    poll: () => {
      fixture.time.now += 120_000;
      return discovery.pollOnce();
    },
    lastLifecycle: () =>
      (published.at(-1) ?? [])
        .filter((e): e is Lifecycle => e.type === 'lifecycle')
        .map((e) => `${e.kind}:${e.channel}`),
  };
}

function setRanks(logins: readonly string[]): void {
  fixture.helix.setStreams(inRankOrder(logins));
}

const joined = (h: Harness, login: string): number =>
  h.changes.flatMap((c) => c.joins).filter((l) => l === login).length;
const left = (h: Harness, login: string): number =>
  h.changes.flatMap((c) => c.leaves).filter((l) => l === login).length;

describe('StreamDiscovery', () => {
  it('publishes online and viewers events for every live stream, valid and on the lifecycle topic', async () => {
    fixture.helix.setStreams([
      { user_login: 'alpha', user_name: 'Alpha', viewer_count: 900, title: 'hello' },
      { user_login: 'beta', viewer_count: 50, game_id: '21779', language: 'de' },
    ]);
    const h = harness();
    const outcome = await h.poll();
    expect(outcome).toEqual({ ok: true, events: 4, joins: ['alpha', 'beta'], leaves: [] });
    const [events] = h.published;
    expect(events?.map((e) => `${e.type}:${e.channel_id}`)).toEqual([
      `lifecycle:${fakeUserId('alpha')}`,
      `lifecycle:${fakeUserId('beta')}`,
      `viewers:${fakeUserId('alpha')}`,
      `viewers:${fakeUserId('beta')}`,
    ]);
    expect(events?.[0]).toEqual({
      v: 1,
      type: 'lifecycle',
      kind: 'online',
      channel_id: fakeUserId('alpha'),
      channel: 'alpha',
      display_name: 'Alpha',
      stream_id: fakeStreamId('alpha'),
      ts: fixture.time.now,
      title: 'hello',
      game: 'Just Chatting',
      language: 'en',
      started_at: fixture.time.now - 120_000,
    });
    expect(events?.[3]).toMatchObject({ type: 'viewers', channel: 'beta', viewers: 50 });
    for (const event of events ?? []) {
      expect(EventSchema.parse(event)).toEqual(event);
      expect(topicFor(event)).toBe(LIFECYCLE_TOPIC);
    }
    // Every later poll samples viewers again, with no lifecycle event when nothing changed.
    fixture.helix.updateStream('beta', { viewer_count: 75 });
    await h.poll();
    expect(h.published[1]?.map((e) => e.type)).toEqual(['viewers', 'viewers']);
    expect(h.published[1]?.[1]).toMatchObject({ viewers: 75, ts: fixture.time.now });
    expect(h.discovery.streams.map((s) => s.login)).toEqual(['alpha', 'beta']);
  });

  it('joins a channel oscillating between rank 14 and 25 once and never leaves it', async () => {
    const h = harness();
    for (let i = 0; i < 10; i += 1) {
      setRanks(channelsRanked(40, { wobble: i % 2 === 0 ? 14 : 25 }));
      expect((await h.poll()).ok).toBe(true);
      expect(h.discovery.watched).toContain('wobble');
    }
    expect(joined(h, 'wobble')).toBe(1);
    expect(left(h, 'wobble')).toBe(0);
    expect(h.changes.flatMap((c) => c.leaves)).toEqual([]);
    // Besides the first poll, only ch15's one climb to rank 15 (when wobble went to 25) changed anything.
    expect(h.changes.slice(1).map((c) => c.joins)).toEqual([['ch15']]);
  });

  it('leaves a channel that drops to rank 31, without calling it offline', async () => {
    const h = harness();
    setRanks(channelsRanked(40, { faller: 14 }));
    await h.poll();
    setRanks(channelsRanked(40, { faller: 30 }));
    await h.poll();
    expect(h.discovery.watched).toContain('faller');
    setRanks(channelsRanked(40, { faller: 31 }));
    await h.poll();
    expect(h.discovery.watched).not.toContain('faller');
    expect(h.changes.at(-1)).toEqual({
      joins: [],
      leaves: ['faller'],
      watched: channelsRanked(15),
    });
    expect(h.lastLifecycle()).toEqual([]);
    expect(h.discovery.streams.map((s) => s.login)).toContain('faller');
  });

  it('absorbs rank jitter: no channel leaves and none joins twice', async () => {
    const h = harness();
    const jitters: Record<string, number>[] = [
      {},
      { ch15: 18, ch16: 12 },
      { ch14: 22, ch16: 15 },
      { ch15: 13, ch01: 27 },
      { ch16: 30, ch02: 16 },
      {},
    ];
    for (const moves of jitters) {
      setRanks(channelsRanked(40, moves));
      await h.poll();
    }
    expect(h.changes.flatMap((c) => c.leaves)).toEqual([]);
    const joins = h.changes.flatMap((c) => c.joins);
    expect(new Set(joins).size).toBe(joins.length);
    // ch16 and ch17 each reached rank 15 once; nobody fell past 30.
    expect(h.discovery.watched).toEqual(channelsRanked(17));
  });

  it('always watches allow-listed live channels, even outside the top N, and never denied ones', async () => {
    setRanks([...channelsRanked(150), 'tiny']);
    const h = harness({ allow: ['Tiny', 'offline-friend'], deny: ['ch01'] });
    await h.poll();
    // ch01 takes no rank: ch02..ch16 are the top 15.
    expect(h.discovery.watched).toEqual([...channelsRanked(16).slice(1), 'tiny']);
    expect(h.discovery.streams.map((s) => s.login)).toContain('tiny');
    expect(h.discovery.streams.map((s) => s.login)).not.toContain('ch01');
    const channels = new Set(h.published.flat().map((e) => e.channel_id));
    expect(channels.has(fakeUserId('tiny'))).toBe(true);
    expect(channels.has(fakeUserId('ch01'))).toBe(false);
    // The allow list is looked up by login, only for the allowed channels not already seen.
    const lookups = fixture.helix.requestsTo('/streams').filter((r) => r.query.user_login);
    expect(lookups.map((r) => r.query.user_login)).toEqual([['tiny', 'offline-friend']]);
    fixture.helix.removeStream('tiny');
    await h.poll();
    expect(h.discovery.watched).not.toContain('tiny');
    expect(h.lastLifecycle()).toEqual(['offline:tiny']);
  });

  it('calls a stream offline only after a fresh successful poll shows it gone', async () => {
    fixture.helix.setStreams([
      { user_login: 'alpha', viewer_count: 900 },
      { user_login: 'beta', viewer_count: 500 },
    ]);
    const h = harness();
    await h.poll();
    expect(await metricValue(fixture.registry, 'active_stream_count')).toBe(2);
    fixture.helix.removeStream('beta');
    fixture.helix.forceNextResponses(503, 5); // every try of the next poll fails
    const failed = await h.poll();
    expect(failed.ok).toBe(false);
    expect(h.published).toHaveLength(1);
    expect(h.discovery.watched).toEqual(['alpha', 'beta']);
    expect(h.discovery.streams.map((s) => s.login)).toEqual(['alpha', 'beta']);
    expect(h.changes).toHaveLength(1);
    expect(await metricValue(fixture.registry, 'active_stream_count')).toBe(2);
    expect(
      await metricValue(fixture.registry, 'stream_discovery_polls_total', { outcome: 'failed' }),
    ).toBe(1);
    expect(
      await metricValue(fixture.registry, 'twitch_api_errors_total', {
        endpoint: 'streams',
        status: '503',
      }),
    ).toBe(5);

    await h.poll();
    expect(h.lastLifecycle()).toEqual(['offline:beta']);
    expect(h.discovery.watched).toEqual(['alpha']);
    expect(h.changes.at(-1)).toEqual({ joins: [], leaves: ['beta'], watched: ['alpha'] });
    expect(await metricValue(fixture.registry, 'active_stream_count')).toBe(1);
    expect(
      await metricValue(fixture.registry, 'stream_discovery_polls_total', { outcome: 'ok' }),
    ).toBe(2);
  });

  it('checks a known stream that fell out of the top N by id before calling it offline', async () => {
    setRanks(channelsRanked(40));
    const h = harness({ topN: 30 });
    await h.poll();
    expect(h.discovery.watched).toContain('ch03');
    setRanks(channelsRanked(40, { ch03: 35 }));
    await h.poll();
    // Out of the ranked top 30: left, but still live, so no offline event and still sampled.
    expect(h.discovery.watched).not.toContain('ch03');
    expect(h.lastLifecycle()).toEqual(['online:ch31']);
    const check = fixture.helix.requestsTo('/streams').at(-1);
    expect(check?.query.user_id).toContain(fakeUserId('ch03'));
    expect(h.published.at(-1)?.some((e) => e.type === 'viewers' && e.channel === 'ch03')).toBe(
      true,
    );
    fixture.helix.removeStream('ch03');
    await h.poll();
    expect(h.lastLifecycle()).toEqual(['offline:ch03']);
  });

  it('changes nothing when the top list arrives but the check by id fails', async () => {
    setRanks(channelsRanked(40));
    const real = fixture.client();
    const h = harness({
      topN: 30,
      client: {
        get: (endpoint, query, signal) =>
          query.user_id === undefined
            ? real.get(endpoint, query, signal)
            : Promise.reject(new Error('connection reset')),
      },
    });
    await h.poll();
    fixture.helix.removeStream('ch03');
    expect((await h.poll()).ok).toBe(false);
    expect(h.published).toHaveLength(1);
    expect(h.discovery.watched).toContain('ch03');
    expect(h.discovery.streams.map((s) => s.login)).toContain('ch03');
  });

  it('reports title and game changes', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900, title: 'morning' }]);
    const h = harness();
    await h.poll();
    fixture.helix.updateStream('alpha', { title: 'evening' });
    await h.poll();
    expect(h.lastLifecycle()).toEqual(['title:alpha']);
    expect(h.published.at(-1)?.[0]).toMatchObject({ kind: 'title', title: 'evening' });
    fixture.helix.updateStream('alpha', { game_id: '21779' });
    await h.poll();
    expect(h.lastLifecycle()).toEqual(['game:alpha']);
    expect(h.published.at(-1)?.[0]).toMatchObject({ kind: 'game', game: 'League of Legends' });
    await h.poll();
    expect(h.lastLifecycle()).toEqual([]);
  });

  it('treats a new stream id as the end of one broadcast and the start of another', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900 }]);
    const h = harness();
    await h.poll();
    fixture.helix.setStreams([
      { user_login: 'alpha', viewer_count: 900, id: fakeStreamId('alpha', 1) },
    ]);
    await h.poll();
    expect(h.lastLifecycle()).toEqual(['offline:alpha', 'online:alpha']);
    expect(h.discovery.watched).toEqual(['alpha']);
    expect(h.changes).toHaveLength(1);
  });

  it('keeps its state when publishing fails, and publishes the same changes next time', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900 }]);
    let refuse = true;
    const published: StreamEvent[][] = [];
    const h = harness({
      publisher: {
        publish: async (events) => {
          if (refuse) throw new Error('event log unavailable');
          published.push(events);
        },
      },
    });
    expect((await h.poll()).ok).toBe(false);
    expect(h.discovery.watched).toEqual([]);
    expect(h.changes).toEqual([]);
    refuse = false;
    await h.poll();
    expect(published[0]?.map((e) => e.type)).toEqual(['lifecycle', 'viewers']);
    expect(h.discovery.watched).toEqual(['alpha']);
  });

  it('survives a listener that throws', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900 }]);
    const h = harness({
      onChanges: () => {
        throw new Error('chat pool not ready');
      },
    });
    expect((await h.poll()).ok).toBe(true);
    expect(h.discovery.watched).toEqual(['alpha']);
  });

  it('polls on its timer, start to start, and goes on after a failed poll', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900 }]);
    fixture.helix.forceNextResponses(503, 5);
    const waits: number[] = [];
    let wake = (): void => {};
    const h = harness({
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          waits.push(ms);
          fixture.time.now += ms;
          wake = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    h.discovery.start();
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    // The failed poll spent 375 + 750 + 1500 + 3000 ms backing off: the timer keeps the beat.
    expect(waits[0]).toBe(120_000 - 5_625);
    expect(h.published).toEqual([]);
    wake();
    await vi.waitFor(() => expect(waits).toHaveLength(2));
    expect(waits[1]).toBe(120_000);
    expect(h.discovery.watched).toEqual(['alpha']);
    expect(h.published).toHaveLength(1);
    await h.discovery.stop();
    const requests = fixture.helix.requestsTo('/streams').length;
    wake();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fixture.helix.requestsTo('/streams')).toHaveLength(requests);
  });

  it('can hand the first poll to its caller, then keeps the beat from that poll', async () => {
    fixture.helix.setStreams([{ user_login: 'alpha', viewer_count: 900 }]);
    const waits: number[] = [];
    const h = harness({
      sleep: (ms, signal) =>
        new Promise<void>((resolve) => {
          waits.push(ms);
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
    });
    const first = await h.discovery.startWithFirstPoll();
    expect(first).toMatchObject({ ok: true, joins: ['alpha'] });
    expect(h.discovery.watched).toEqual(['alpha']);
    await vi.waitFor(() => expect(waits).toHaveLength(1));
    // One poll so far: the loop waits out the interval before its own first poll.
    expect(fixture.helix.requestsTo('/streams')).toHaveLength(1);
    expect(waits[0]).toBe(120_000);
    await h.discovery.stop();

    fixture.helix.forceNextResponses(401, 2);
    const failing = harness({
      sleep: (_ms, signal) =>
        new Promise<void>((resolve) => signal?.addEventListener('abort', () => resolve())),
    });
    const refused = await failing.discovery.startWithFirstPoll();
    expect(refused.ok).toBe(false);
    await failing.discovery.stop();
  });

  it('refuses a top N smaller than the leave rank', () => {
    expect(() => harness({ topN: 20 })).toThrow(/top N/);
    expect(() => harness({ topN: 20, leaveRank: 20, joinRank: 10 })).not.toThrow();
  });
});
