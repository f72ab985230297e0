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

  it.each([
    [{ HTTP_PORT: '70000' }, {}, 'HTTP_PORT: expected an integer from 0 to 65535 (got "70000")'],
    [{}, { simulatorChannels: '0' }, '--channels: expected an integer from 1 to 100000 (got "0")'],
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
