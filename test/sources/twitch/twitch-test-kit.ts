// Shared pieces of the Twitch source tests: a fake clock whose sleeps pass instantly, the fake
// Helix server on that clock, a HelixClient pointed at it, and metric and log readers.
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { HelixClient, type HelixClientOptions } from '../../../src/sources/twitch/helix-client.ts';
import { TwitchMetrics } from '../../../src/sources/twitch/twitch-metrics.ts';
import {
  FakeHelixServer,
  type FakeHelixServerOptions,
} from '../../support/fake-twitch/fake-helix-server.ts';

export const CLIENT_ID = 'fake-client-id';
export const CLIENT_SECRET = 'fake-client-secret';

/** Epoch ms on a whole second, so Ratelimit-Reset (epoch seconds) waits come out exact. */
export const START = 1_700_000_000_000;

/** Time that only moves when something sleeps: a 60 s rate-limit wait costs nothing. */
export class FakeTime {
  now = START;
  readonly sleeps: number[] = [];
  readonly clock = (): number => this.now;
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.now += ms;
  };
}

export interface HelixFixture {
  time: FakeTime;
  helix: FakeHelixServer;
  registry: Registry;
  metrics: TwitchMetrics;
  client(overrides?: Partial<HelixClientOptions>): HelixClient;
  close(): Promise<void>;
}

export async function startHelix(options: FakeHelixServerOptions = {}): Promise<HelixFixture> {
  const time = new FakeTime();
  const helix = await FakeHelixServer.start({
    clients: { [CLIENT_ID]: CLIENT_SECRET },
    clock: time.clock,
    ...options,
  });
  const registry = new Registry();
  const metrics = new TwitchMetrics(registry);
  return {
    time,
    helix,
    registry,
    metrics,
    client: (overrides = {}) =>
      new HelixClient({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        apiBaseUrl: helix.apiBaseUrl,
        authBaseUrl: helix.authBaseUrl,
        clock: time.clock,
        sleep: time.sleep,
        // Jitter in the middle: back-off delays are exactly 3/4 of the un-jittered base.
        random: () => 0.5,
        metrics,
        ...overrides,
      }),
    close: () => helix.close(),
  };
}

/** The scopes `streamscout auth` asks for. */
export const USER_SCOPES = ['chat:read', 'clips:edit'];

/** What both user-authorization flows are told: the fake OAuth server and the fake app. */
export function userGrant(fixture: HelixFixture) {
  return {
    authBaseUrl: fixture.helix.authBaseUrl,
    fetch: (input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init),
    timeoutMs: 5000,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scopes: USER_SCOPES,
  };
}

/** The value of one series of a counter or gauge (0 when the series does not exist). */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  const match = values.find((value) =>
    Object.entries(labels).every(([key, label]) => String(value.labels[key]) === label),
  );
  return match?.value ?? 0;
}

/** A logger that keeps every line, at every level. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'trace' }, sink), lines };
}

/** `count` streams named prefix000.., viewer counts falling by 10 from 100 000. */
export function manyStreams(
  count: number,
  prefix = 'streamer',
): { user_login: string; viewer_count: number; language: string; game_id: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    user_login: `${prefix}${String(i).padStart(3, '0')}`,
    viewer_count: 100_000 - i * 10,
    language: i % 5 === 0 ? 'de' : 'en',
    game_id: i % 2 === 0 ? '509658' : '21779',
  }));
}

/**
 * Stream inputs for the fake server in exactly this rank order (viewer counts falling by 100
 * from 100 000), so a test sets ranks by position.
 */
export function inRankOrder(
  logins: readonly string[],
): { user_login: string; viewer_count: number }[] {
  return logins.map((user_login, i) => ({ user_login, viewer_count: 100_000 - i * 100 }));
}
