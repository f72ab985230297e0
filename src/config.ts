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
  simulatorChannels: {
    env: ['SIMULATOR_CHANNELS'],
    flag: '--channels',
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
    schema: z.coerce
      .number({ error: 'expected a number from 1 to 100' })
      .min(1, { error: 'expected a number from 1 to 100' })
      .max(100, { error: 'expected a number from 1 to 100' }),
    default: 4,
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
  return { ...result, dataDir: resolve(result.dataDir), webRoot: resolve(result.webRoot) };
}
