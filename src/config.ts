// Configuration from environment variables and command-line overrides, validated once at
// start: a wrong setting stops the process with one line that names it.
import { resolve } from 'node:path';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type Environment = Record<string, string | undefined>;

/** Every setting: its environment variable, schema and default. The README table mirrors it. */
const SETTINGS = {
  httpPort: {
    env: ['HTTP_PORT'],
    schema: z.coerce.number().int().min(0).max(65535),
    default: 5000,
  },
  httpHost: { env: ['HTTP_HOST'], schema: z.string().min(1), default: '0.0.0.0' },
  dataDir: { env: ['DATA_DIR'], schema: z.string().min(1), default: './data' },
  databaseUrl: {
    env: ['DATABASE_URL', 'POSTGRES_URL'],
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
      .optional(),
    default: undefined,
  },
  logLevel: { env: ['LOG_LEVEL'], schema: z.enum(LOG_LEVELS), default: 'info' },
  logPartitions: {
    env: ['LOG_PARTITIONS'],
    schema: z.coerce.number().int().min(1).max(1024),
    default: 8,
  },
  simulatorChannels: {
    env: ['SIMULATOR_CHANNELS'],
    schema: z.coerce.number().int().min(1).max(100_000),
    default: 24,
  },
  simulatorSeed: { env: ['SIMULATOR_SEED'], schema: z.coerce.number().int().min(0), default: 1 },
  simulatorBackfillS: {
    env: ['SIMULATOR_BACKFILL_S'],
    schema: z.coerce.number().int().min(0).max(86_400),
    default: 300,
  },
  webRoot: { env: ['WEB_ROOT'], schema: z.string().min(1), default: 'dist/web' },
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
    const source = override !== undefined ? `--${kebab(key)}` : (fromEnv?.name ?? key);
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

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
