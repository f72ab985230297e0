// Structured JSON logs (pino). Secrets are redacted by path wherever they might appear.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level: level.toLowerCase(),
    base: { service: 'streamscout' },
    redact: {
      paths: [
        'config.twitchClientSecret',
        'config.databaseUrl',
        '*.access_token',
        '*.refresh_token',
        '*.password',
        'headers.authorization',
      ],
      censor: '[redacted]',
    },
  });
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
