// Which source feeds the event log, from the configuration: Twitch with discovery when there
// are app credentials, the listed Twitch channels read anonymously when there are only
// channels, and otherwise the simulator, so a fresh clone shows a working product offline.
import type { Config } from '../config.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { EventPublisher } from '../sources/event-publisher.ts';
import { LiveSimulation } from '../sources/live-simulation.ts';
import { TwitchMetrics } from '../sources/twitch/twitch-metrics.ts';
import { TwitchSource } from '../sources/twitch/twitch-source.ts';
import { UserTokenFile } from '../sources/twitch/user-token-file.ts';

export type SourceKind = 'twitch-discovery' | 'twitch-channels' | 'simulator';

export interface RunningSource {
  kind: SourceKind;
  stop(): Promise<void>;
}

/** Both or neither: loadConfig refuses one without the other. */
function appCredentials(config: Config): { clientId: string; clientSecret: string } | undefined {
  const { twitchClientId: clientId, twitchClientSecret: clientSecret } = config;
  return clientId !== undefined && clientSecret !== undefined
    ? { clientId, clientSecret }
    : undefined;
}

function sourceKind(config: Config): SourceKind {
  if (appCredentials(config) !== undefined) return 'twitch-discovery';
  if (config.twitchChannels.length > 0) return 'twitch-channels';
  return 'simulator';
}

export async function startSource(
  config: Config,
  context: { publisher: EventPublisher; metrics: Metrics; logger: Logger; clock: () => number },
): Promise<RunningSource> {
  const kind = sourceKind(config);
  if (kind === 'simulator') {
    const simulation = new LiveSimulation({
      publisher: context.publisher,
      seed: config.simulatorSeed,
      channels: config.simulatorChannels,
      backfillS: config.simulatorBackfillS,
      clock: context.clock,
      logger: context.logger,
    });
    simulation.start();
    return { kind, stop: () => simulation.stop() };
  }
  const credentials = appCredentials(config);
  const twitch = await TwitchSource.start({
    publisher: context.publisher,
    metrics: TwitchMetrics.of(context.metrics.registry),
    logger: context.logger,
    irc: config.twitchIrcHost,
    channels: config.twitchChannels,
    userToken:
      credentials && config.twitchTokenFile !== undefined
        ? new UserTokenFile({
            path: config.twitchTokenFile,
            ...credentials,
            authBaseUrl: config.twitchAuthBaseUrl,
          })
        : undefined,
    helix: credentials && {
      ...credentials,
      apiBaseUrl: config.twitchApiBaseUrl,
      authBaseUrl: config.twitchAuthBaseUrl,
    },
    discovery: {
      pollIntervalMs: config.twitchPollIntervalS * 1000,
      topN: config.twitchTopN,
      joinRank: config.joinRank,
      leaveRank: config.leaveRank,
      languages: config.twitchLanguages,
      gameIds: config.twitchGameIds,
      minViewers: config.twitchMinViewers,
      allow: config.twitchAllow,
      deny: config.twitchDeny,
    },
  });
  return { kind, stop: () => twitch.stop() };
}
