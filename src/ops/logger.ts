// Structured logs (pino): JSON lines for machines, readable lines for a person at a terminal.
// Secrets are redacted by path wherever they might appear.
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export function createLogger(level = 'info', format: LogFormat = 'auto'): Logger {
  const options = {
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
  };
  const readable = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  // Synchronous pretty stream, not a worker transport: nothing is lost when the process exits.
  return readable
    ? pino(options, pretty({ colorize: true, ignore: 'pid,hostname,service', sync: true }))
    : pino(options);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = pino({ level: 'silent' });
