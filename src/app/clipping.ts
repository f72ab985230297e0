// Whether this process clips moments, and the clipper if it does. Clipping needs the app
// credentials and a token file whose token has `clips:edit` (written by `streamscout auth`);
// without them Stream Scout runs as before and says once why there are no clips.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.ts';
import { ClipMetrics } from '../clips/clip-metrics.ts';
import { Clipper } from '../clips/clipper.ts';
import { TwitchClips } from '../clips/twitch-clips.ts';
import type { Logger } from '../ops/logger.ts';
import type { Metrics } from '../ops/metrics.ts';
import { HelixClient } from '../sources/twitch/helix-client.ts';
import { TwitchMetrics } from '../sources/twitch/twitch-metrics.ts';
import { TwitchStartError } from '../sources/twitch/twitch-source.ts';
import { UserTokenFile, type ValidatedUserToken } from '../sources/twitch/user-token-file.ts';
import type { PostgresStore } from '../storage/postgres-store.ts';

export const CLIPS_SCOPE = 'clips:edit';

export interface RunningClipper {
  /** Moments scoring at least this are clipped (CLIP_MIN_SCORE). */
  minScore: number;
  /** New clip attempts were recorded. */
  wake(): void;
  stop(): Promise<void>;
}

export async function startClipping(
  config: Config,
  context: { store: PostgresStore; metrics: Metrics; logger: Logger; clock?: () => number },
): Promise<RunningClipper | undefined> {
  const { logger } = context;
  const { twitchClientId: clientId, twitchClientSecret: clientSecret, twitchTokenFile } = config;
  if (!config.clipsEnabled) {
    logger.info('clips are off (CLIPS_ENABLED=false)');
    return undefined;
  }
  if (clientId === undefined || clientSecret === undefined || twitchTokenFile === undefined) {
    logger.info(
      'clips are off: they need TWITCH_CLIENT_ID, TWITCH_CLIENT_SECRET and a TWITCH_TOKEN_FILE with clips:edit (streamscout auth)',
    );
    return undefined;
  }
  const tokens = new UserTokenFile({
    path: twitchTokenFile,
    clientId,
    clientSecret,
    authBaseUrl: config.twitchAuthBaseUrl,
  });
  let token: ValidatedUserToken;
  try {
    token = await tokens.current();
  } catch (error) {
    throw new TwitchStartError(error instanceof Error ? error.message : String(error));
  }
  if (!token.scopes.includes(CLIPS_SCOPE)) {
    logger.warn(
      { login: token.login, scopes: token.scopes },
      'clips are off: the token in TWITCH_TOKEN_FILE has no clips:edit scope (run streamscout auth)',
    );
    return undefined;
  }
  const helix = new HelixClient({
    clientId,
    clientSecret,
    apiBaseUrl: config.twitchApiBaseUrl,
    authBaseUrl: config.twitchAuthBaseUrl,
    userToken: tokens,
    metrics: TwitchMetrics.of(context.metrics.registry),
    logger,
  });
  const clipper = new Clipper({
    outbox: context.store.clipOutbox({
      owner: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`,
      leaseMs: config.clipLeaseS * 1000,
    }),
    twitch: new TwitchClips(helix),
    creatorId: async () => (await tokens.current()).userId,
    limits: {
      perMinute: config.clipsPerMinute,
      channelCooldownMs: config.clipChannelCooldownS * 1000,
    },
    notClippableMs: config.clipNotClippableS * 1000,
    metrics: new ClipMetrics(context.metrics.registry),
    logger,
    ...(context.clock === undefined ? {} : { clock: context.clock }),
  });
  clipper.start();
  logger.info({ login: token.login, minScore: config.clipMinScore }, 'clipping moments');
  return { minScore: config.clipMinScore, wake: () => clipper.wake(), stop: () => clipper.stop() };
}
