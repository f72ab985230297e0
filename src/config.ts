// Configuration from environment variables and command-line overrides, validated once at
// start: a wrong setting stops the process with one line that names it.
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOG_FORMATS } from './ops/logger.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type Environment = Record<string, string | undefined>;

/** A whole number in [min, max], from a string or a number, with a message a person can act on. */
function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return z.coerce
    .number({ error: `expected an integer ${range}` })
    .int({ error: `expected an integer ${range}` })
    .min(min, { error: `expected an integer ${range}` })
    .max(max, { error: `expected an integer ${range}` });
}

/** A comma-separated list (blank entries dropped), each entry checked by `item`. */
function list<Item extends z.ZodType>(item: Item) {
  return z.preprocess(
    (raw) =>
      typeof raw === 'string'
        ? raw
            .split(',')
            .map((entry) => entry.trim())
            .filter((entry) => entry !== '')
        : raw,
    z.array(item),
  );
}

/** A Twitch login as people write it: any case, with or without '#'. */
const twitchLogin = z
  .string()
  .transform((login) => login.replace(/^#/, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9_]{1,25}$/, { error: 'expected Twitch logins (a-z, 0-9, _)' }));

/** `host` or `host:port`; without a port, the chat side picks one (6697 with TLS, else 6667). */
function hostAndPort() {
  const error = 'expected host or host:port (port 1-65535), without scheme';
  return z
    .string()
    .regex(/^[A-Za-z0-9.-]+(:\d{1,5})?$/, { error })
    .transform((value) => {
      const [host = '', port] = value.split(':');
      return { host, port: port === undefined ? undefined : Number(port) };
    })
    .refine(({ port }) => port === undefined || (port >= 1 && port <= 65_535), { error });
}

/** A Kafka bootstrap address, `host:port`; a `PLAINTEXT://` style prefix (the seed's) is dropped. */
function kafkaBroker() {
  const error = 'expected host:port of Kafka brokers, comma-separated';
  return z
    .string()
    .transform((value) => value.replace(/^[A-Za-z_]+:\/\//, ''))
    .pipe(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, { error }));
}

/** A detector score (surprise, -log10 of a chance): from 1 to 100. */
function score() {
  const error = 'expected a number from 1 to 100';
  return z.coerce.number({ error }).min(1, { error }).max(100, { error });
}

/** On or off, as people write it in an environment file. */
function onOff() {
  const error = 'expected true or false (also 1/0, yes/no, on/off)';
  return z.union([z.boolean(), z.string()]).transform((value, context) => {
    if (typeof value === 'boolean') return value;
    const word = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(word)) return true;
    if (['false', '0', 'no', 'off'].includes(word)) return false;
    context.addIssue({ code: 'custom', message: error });
    return z.NEVER;
  });
}

function httpUrl() {
  return z.url({
    protocol: /^https?$/,
    error: 'expected an http:// or https:// address',
  });
}

/**
 * Every setting: its environment variables, its command-line flag (if any), schema and default.
 * The README's configuration table mirrors it.
 */
const SETTINGS = {
  httpPort: { env: ['HTTP_PORT'], flag: '--port', schema: integer(0, 65535), default: 5000 },
  httpHost: { env: ['HTTP_HOST'], flag: '--host', schema: z.string().min(1), default: '0.0.0.0' },
  dataDir: { env: ['DATA_DIR'], flag: '--data-dir', schema: z.string().min(1), default: './data' },
  databaseUrl: {
    env: ['DATABASE_URL', 'POSTGRES_URL'],
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    default: undefined,
  },
  logLevel: {
    env: ['LOG_LEVEL'],
    schema: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
    default: 'info',
  },
  logFormat: {
    env: ['LOG_FORMAT'],
    schema: z.enum(LOG_FORMATS, { error: `expected one of ${LOG_FORMATS.join(', ')}` }),
    default: 'auto',
  },
  logPartitions: { env: ['LOG_PARTITIONS'], schema: integer(1, 1024), default: 8 },
  /** Distributed mode: the event log is Kafka at these brokers instead of in-process. */
  kafkaBrokers: {
    env: ['KAFKA_BROKERS', 'KAFKA_BROKER_URL'],
    schema: list(kafkaBroker()),
    default: [],
  },
  /**
   * Prefix of the Kafka topics and the consumer group: several deployments (or test runs) on
   * one cluster stay apart. Empty: the seed's topic names.
   */
  kafkaTopicPrefix: {
    env: ['KAFKA_TOPIC_PREFIX'],
    schema: z
      .string()
      .regex(/^[A-Za-z0-9._-]*$/, { error: 'expected letters, digits, ".", "_" or "-"' }),
    default: '',
  },
  /** `monitor` and `process`: port of their /health, /ready and /metrics (unset: none). */
  metricsPort: {
    env: ['METRICS_PORT'],
    flag: '--metrics-port',
    schema: integer(0, 65535).optional(),
    default: undefined,
  },
  simulatorChannels: {
    env: ['SIMULATOR_CHANNELS'],
    flag: '--sim-channels',
    schema: integer(1, 100_000),
    default: 24,
  },
  simulatorSeed: { env: ['SIMULATOR_SEED'], flag: '--seed', schema: integer(0), default: 1 },
  simulatorBackfillS: { env: ['SIMULATOR_BACKFILL_S'], schema: integer(0, 86_400), default: 300 },
  webRoot: { env: ['WEB_ROOT'], schema: z.string().min(1), default: 'dist/web' },
  /** See `latenessMs` and `threshold` in src/processing/detector-params.ts for the reasons. */
  detectorLatenessMs: { env: ['DETECTOR_LATENESS_MS'], schema: integer(0, 600_000), default: 5000 },
  detectorThreshold: {
    env: ['DETECTOR_THRESHOLD'],
    schema: score(),
    default: 4,
  },
  // Twitch. With no credentials and no channels, `start` plays the simulator instead.
  twitchClientId: { env: ['TWITCH_CLIENT_ID'], schema: z.string().optional(), default: undefined },
  twitchClientSecret: {
    env: ['TWITCH_CLIENT_SECRET'],
    schema: z.string().optional(),
    default: undefined,
  },
  twitchTokenFile: {
    env: ['TWITCH_TOKEN_FILE'],
    schema: z.string().optional(),
    default: undefined,
  },
  twitchApiBaseUrl: {
    env: ['TWITCH_API_BASE_URL'],
    schema: httpUrl(),
    default: 'https://api.twitch.tv/helix',
  },
  twitchAuthBaseUrl: {
    env: ['TWITCH_AUTH_BASE_URL'],
    schema: httpUrl(),
    default: 'https://id.twitch.tv/oauth2',
  },
  twitchIrcHost: { env: ['TWITCH_IRC_HOST'], schema: hostAndPort(), default: 'irc.chat.twitch.tv' },
  twitchChannels: {
    env: ['TWITCH_CHANNELS'],
    flag: '--channels',
    schema: list(twitchLogin),
    default: [],
  },
  joinRank: { env: ['JOIN_RANK'], schema: integer(1, 10_000), default: 15 },
  leaveRank: { env: ['LEAVE_RANK'], schema: integer(1, 10_000), default: 30 },
  twitchTopN: { env: ['TWITCH_TOP_N'], schema: integer(1, 10_000), default: 100 },
  twitchPollIntervalS: {
    env: ['TWITCH_POLL_INTERVAL_S'],
    schema: integer(1, 86_400),
    default: 120,
  },
  twitchLanguages: {
    env: ['TWITCH_LANGUAGES'],
    schema: list(
      z.string().regex(/^([a-z]{2}|other)$/, { error: 'expected language codes like en,de' }),
    ),
    default: [],
  },
  twitchGameIds: {
    env: ['TWITCH_GAME_IDS'],
    schema: list(z.string().regex(/^\d+$/, { error: 'expected numeric Twitch game ids' })),
    default: [],
  },
  twitchMinViewers: { env: ['TWITCH_MIN_VIEWERS'], schema: integer(0), default: 0 },
  twitchAllow: { env: ['TWITCH_ALLOW'], schema: list(twitchLogin), default: [] },
  twitchDeny: { env: ['TWITCH_DENY'], schema: list(twitchLogin), default: [] },
  // Clips: made when the token file's token has `clips:edit` (see src/clips/README.md).
  clipsEnabled: { env: ['CLIPS_ENABLED'], schema: onOff(), default: true },
  /** See DEFAULT_CLIP_MIN_SCORE in src/clips/clip-candidate.ts for the reason. */
  clipMinScore: {
    env: ['CLIP_MIN_SCORE'],
    schema: score(),
    default: 6,
  },
  clipsPerMinute: { env: ['CLIPS_PER_MINUTE'], schema: integer(1, 600), default: 20 },
  clipChannelCooldownS: {
    env: ['CLIP_CHANNEL_COOLDOWN_S'],
    schema: integer(0, 86_400),
    default: 60,
  },
  clipLeaseS: { env: ['CLIP_LEASE_S'], schema: integer(1, 3_600), default: 30 },
  clipNotClippableS: {
    env: ['CLIP_NOT_CLIPPABLE_S'],
    schema: integer(1, 30 * 86_400),
    default: 86_400,
  },
} as const;

type Settings = typeof SETTINGS;
export type Config = { [K in keyof Settings]: z.output<Settings[K]['schema']> };
export type ConfigOverrides = { [K in keyof Settings]?: unknown };

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads settings: explicit overrides (command-line flags) win over the environment. */
export function loadConfig(env: Environment, overrides: ConfigOverrides = {}): Config {
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const fromEnv = setting.env.map((name) => ({ name, value: env[name] })).find((e) => e.value);
    const override = overrides[key as keyof Settings];
    const flag = 'flag' in setting ? setting.flag : key;
    const source = override !== undefined ? flag : (fromEnv?.name ?? setting.env[0]);
    const raw = override ?? fromEnv?.value ?? setting.default;
    const parsed = (setting.schema as z.ZodType).safeParse(raw);
    if (!parsed.success) {
      const reason = parsed.error.issues[0]?.message ?? 'invalid value';
      throw new ConfigError(`${source}: ${reason} (got ${JSON.stringify(String(raw))})`);
    }
    config[key] = parsed.data;
  }
  const result = config as Config;
  checkTogether(result);
  return {
    ...result,
    dataDir: resolve(result.dataDir),
    webRoot: resolve(result.webRoot),
    twitchTokenFile: result.twitchTokenFile && resolve(result.twitchTokenFile),
  };
}

/** Settings that are only wrong in combination. */
function checkTogether(config: Config): void {
  const { twitchClientId: id, twitchClientSecret: secret } = config;
  if ((id === undefined) !== (secret === undefined)) {
    const missing = id === undefined ? 'TWITCH_CLIENT_ID' : 'TWITCH_CLIENT_SECRET';
    const present = id === undefined ? 'TWITCH_CLIENT_SECRET' : 'TWITCH_CLIENT_ID';
    throw new ConfigError(
      `${missing}: required when ${present} is set (app credentials come in pairs)`,
    );
  }
  if (config.twitchTokenFile !== undefined && id === undefined) {
    throw new ConfigError(
      'TWITCH_TOKEN_FILE: needs TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (refreshing a user token takes the app credentials)',
    );
  }
  if (config.leaveRank < config.joinRank) {
    throw new ConfigError(
      `LEAVE_RANK: must be >= JOIN_RANK (${config.joinRank}), got ${config.leaveRank}`,
    );
  }
  if (config.twitchTopN < config.leaveRank) {
    throw new ConfigError(
      `TWITCH_TOP_N: must be >= LEAVE_RANK (${config.leaveRank}), got ${config.twitchTopN}: a watched stream ranked below the top N would be left early`,
    );
  }
}

/** Every environment variable a setting reads (aliases included): for checks of deployment files. */
export function environmentVariables(): string[] {
  return Object.values(SETTINGS).flatMap((setting) => [...setting.env]);
}
