// Discovery wired as the monitor will wire it: events through the real EventPublisher onto the
// in-process event log, Twitch metrics on the process's one registry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryEventLog } from '../../../src/log/memory/memory-event-log.ts';
import { LIFECYCLE_TOPIC, TOPICS } from '../../../src/log/topics.ts';
import { Metrics } from '../../../src/ops/metrics.ts';
import { EventPublisher } from '../../../src/sources/event-publisher.ts';
import { HelixClient } from '../../../src/sources/twitch/helix-client.ts';
import { StreamDiscovery } from '../../../src/sources/twitch/stream-discovery.ts';
import { TwitchMetrics } from '../../../src/sources/twitch/twitch-metrics.ts';
import { fakeUserId } from '../../support/fake-twitch/fake-ids.ts';
import { CLIENT_ID, CLIENT_SECRET, startHelix, type HelixFixture } from './twitch-test-kit.ts';

let fixture: HelixFixture;

beforeEach(async () => {
  fixture = await startHelix({
    streams: [
      { user_login: 'alpha', viewer_count: 900 },
      { user_login: 'beta', viewer_count: 50 },
    ],
  });
});

afterEach(async () => {
  await fixture.close();
});

describe('StreamDiscovery with the event log', () => {
  it('publishes keyed by channel id on stream-lifecycle and exports its metrics', async () => {
    const log = new MemoryEventLog();
    for (const topic of TOPICS) await log.createTopic(topic, 4);
    const metrics = new Metrics({ defaults: false });
    const twitchMetrics = new TwitchMetrics(metrics.registry);
    const client = new HelixClient({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      apiBaseUrl: fixture.helix.apiBaseUrl,
      authBaseUrl: fixture.helix.authBaseUrl,
      clock: fixture.time.clock,
      sleep: fixture.time.sleep,
      metrics: twitchMetrics,
    });
    const discovery = new StreamDiscovery({
      client,
      publisher: new EventPublisher(log, metrics),
      clock: fixture.time.clock,
      metrics: twitchMetrics,
    });
    fixture.helix.forceNextResponses(500, 1);
    expect((await discovery.pollOnce()).ok).toBe(true);

    const consumer = await log.consumer({
      groupId: 'test',
      topics: [LIFECYCLE_TOPIC],
      fromBeginning: true,
    });
    const records = await consumer.poll({ maxRecords: 100, maxWaitMs: 50 });
    await consumer.close();
    expect(records).toHaveLength(4);
    for (const record of records) {
      expect(record.key).toBe(record.value.channel_id);
      expect(record.timestamp).toBe(fixture.time.now);
    }
    expect(new Set(records.map((r) => r.key))).toEqual(
      new Set([fakeUserId('alpha'), fakeUserId('beta')]),
    );

    const exposition = await metrics.registry.metrics();
    expect(exposition).toContain('active_stream_count 2');
    expect(exposition).toContain('twitch_api_errors_total{endpoint="streams",status="500"} 1');
    expect(exposition).toContain('stream_discovery_polls_total{outcome="ok"} 1');
    expect(exposition).toContain('streamscout_events_ingested_total{type="lifecycle"} 2');
  });
});
