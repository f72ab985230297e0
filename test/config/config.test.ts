import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('has working defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      httpPort: 5000,
      httpHost: '0.0.0.0',
      logLevel: 'info',
      simulatorChannels: 24,
    });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config).toMatchObject({ detectorLatenessMs: 5000, detectorThreshold: 4 });
    expect(loadConfig({ DETECTOR_LATENESS_MS: '2000', DETECTOR_THRESHOLD: '5.5' })).toMatchObject({
      detectorLatenessMs: 2000,
      detectorThreshold: 5.5,
    });
  });

  it('reads Twitch settings: defaults point at Twitch, lists are comma-separated', () => {
    expect(loadConfig({})).toMatchObject({
      twitchClientId: undefined,
      twitchApiBaseUrl: 'https://api.twitch.tv/helix',
      twitchAuthBaseUrl: 'https://id.twitch.tv/oauth2',
      twitchIrcHost: { host: 'irc.chat.twitch.tv', port: undefined },
      twitchChannels: [],
      joinRank: 15,
      leaveRank: 30,
      twitchTopN: 100,
      twitchPollIntervalS: 120,
    });
    const config = loadConfig(
      {
        TWITCH_CLIENT_ID: 'id',
        TWITCH_CLIENT_SECRET: 'secret',
        TWITCH_CHANNELS: 'ignored',
        TWITCH_LANGUAGES: 'en, de',
        TWITCH_GAME_IDS: '509658',
        TWITCH_DENY: 'Spammer',
        JOIN_RANK: '5',
        LEAVE_RANK: '8',
        TWITCH_TOP_N: '50',
      },
      { twitchChannels: '#Alpha, beta_2,' },
    );
    expect(config).toMatchObject({
      twitchClientId: 'id',
      twitchClientSecret: 'secret',
      twitchChannels: ['alpha', 'beta_2'],
      twitchLanguages: ['en', 'de'],
      twitchGameIds: ['509658'],
      twitchDeny: ['spammer'],
      joinRank: 5,
      leaveRank: 8,
      twitchTopN: 50,
    });
  });

  it('reads the seed-compatible names and lets flags win', () => {
    const config = loadConfig(
      { HTTP_PORT: '8080', POSTGRES_URL: 'postgresql://u:p@db:5432/twitch', LOG_LEVEL: 'debug' },
      { httpPort: '9090' },
    );
    expect(config.httpPort).toBe(9090);
    expect(config.databaseUrl).toBe('postgresql://u:p@db:5432/twitch');
    expect(config.logLevel).toBe('debug');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://a/b', POSTGRES_URL: 'postgres://c/d' }).databaseUrl,
    ).toBe('postgres://a/b');
  });

  it('reads the clip settings, with defaults that clip moments of 6 or more', () => {
    expect(loadConfig({})).toMatchObject({
      clipsEnabled: true,
      clipMinScore: 6,
      clipsPerMinute: 20,
      clipChannelCooldownS: 60,
      clipNotClippableS: 86_400,
      clipLeaseS: 30,
    });
    expect(
      loadConfig({
        CLIPS_ENABLED: 'off',
        CLIP_MIN_SCORE: '7.5',
        CLIPS_PER_MINUTE: '5',
        CLIP_CHANNEL_COOLDOWN_S: '120',
        CLIP_NOT_CLIPPABLE_S: '3600',
        CLIP_LEASE_S: '10',
      }),
    ).toMatchObject({
      clipsEnabled: false,
      clipMinScore: 7.5,
      clipsPerMinute: 5,
      clipChannelCooldownS: 120,
      clipNotClippableS: 3600,
      clipLeaseS: 10,
    });
    expect(loadConfig({ CLIPS_ENABLED: 'YES' }).clipsEnabled).toBe(true);
  });

  it('selects Kafka with KAFKA_BROKERS or the seed name KAFKA_BROKER_URL', () => {
    expect(loadConfig({}).kafkaBrokers).toEqual([]);
    expect(loadConfig({ KAFKA_BROKERS: 'a:9092, b.example:9093' }).kafkaBrokers).toEqual([
      'a:9092',
      'b.example:9093',
    ]);
    expect(loadConfig({ KAFKA_BROKER_URL: 'PLAINTEXT://kafka:9092' }).kafkaBrokers).toEqual([
      'kafka:9092',
    ]);
    expect(() => loadConfig({ KAFKA_BROKERS: 'kafka' })).toThrow(
      'KAFKA_BROKERS: expected host:port of Kafka brokers, comma-separated (got "kafka")',
    );
  });

  it('reads TWITCH_IRC_HOST as host or host:port', () => {
    expect(loadConfig({ TWITCH_IRC_HOST: 'irc.example.org' }).twitchIrcHost).toEqual({
      host: 'irc.example.org',
      port: undefined,
    });
    expect(loadConfig({ TWITCH_IRC_HOST: '127.0.0.1:40123' }).twitchIrcHost).toEqual({
      host: '127.0.0.1',
      port: 40123,
    });
    expect(loadConfig({ TWITCH_IRC_HOST: 'irc.chat.twitch.tv:6667' }).twitchIrcHost).toEqual({
      host: 'irc.chat.twitch.tv',
      port: 6667,
    });
  });

  it.each([
    [{ HTTP_PORT: '70000' }, {}, 'HTTP_PORT: expected an integer from 0 to 65535 (got "70000")'],
    [
      {},
      { simulatorChannels: '0' },
      '--sim-channels: expected an integer from 1 to 100000 (got "0")',
    ],
    [
      { TWITCH_CLIENT_SECRET: 's' },
      {},
      'TWITCH_CLIENT_ID: required when TWITCH_CLIENT_SECRET is set (app credentials come in pairs)',
    ],
    [
      { TWITCH_TOKEN_FILE: 'secrets/twitch_user_tokens.json' },
      {},
      'TWITCH_TOKEN_FILE: needs TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (refreshing a user token takes the app credentials)',
    ],
    [{ JOIN_RANK: '20', LEAVE_RANK: '10' }, {}, 'LEAVE_RANK: must be >= JOIN_RANK (20), got 10'],
    [
      { TWITCH_TOP_N: '20' },
      {},
      'TWITCH_TOP_N: must be >= LEAVE_RANK (30), got 20: a watched stream ranked below the top N would be left early',
    ],
    [
      {},
      { twitchChannels: 'ok,bad-name' },
      '--channels: expected Twitch logins (a-z, 0-9, _) (got "ok,bad-name")',
    ],
    [
      { TWITCH_AUTH_BASE_URL: 'id.twitch.tv/oauth2' },
      {},
      'TWITCH_AUTH_BASE_URL: expected an http:// or https:// address (got "id.twitch.tv/oauth2")',
    ],
    [
      { TWITCH_IRC_HOST: 'irc://irc.chat.twitch.tv' },
      {},
      'TWITCH_IRC_HOST: expected host or host:port (port 1-65535), without scheme (got "irc://irc.chat.twitch.tv")',
    ],
    [
      { TWITCH_IRC_HOST: '127.0.0.1:70000' },
      {},
      'TWITCH_IRC_HOST: expected host or host:port (port 1-65535), without scheme (got "127.0.0.1:70000")',
    ],
    [
      { TWITCH_LANGUAGES: 'en,english' },
      {},
      'TWITCH_LANGUAGES: expected language codes like en,de (got "en,english")',
    ],
    [
      { CLIPS_ENABLED: 'maybe' },
      {},
      'CLIPS_ENABLED: expected true or false (also 1/0, yes/no, on/off) (got "maybe")',
    ],
    [{ CLIP_MIN_SCORE: '0.5' }, {}, 'CLIP_MIN_SCORE: expected a number from 1 to 100 (got "0.5")'],
    [
      { CLIPS_PER_MINUTE: '0' },
      {},
      'CLIPS_PER_MINUTE: expected an integer from 1 to 600 (got "0")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      {},
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    [
      { DATABASE_URL: 'mysql://x' },
      {},
      'DATABASE_URL: must start with postgres:// or postgresql:// (got "mysql://x")',
    ],
    [
      { DETECTOR_THRESHOLD: 'high' },
      {},
      'DETECTOR_THRESHOLD: expected a number from 1 to 100 (got "high")',
    ],
  ])('names the bad setting in one line', (env, overrides, message) => {
    expect(() => loadConfig(env, overrides)).toThrow(new ConfigError(message));
  });
});
