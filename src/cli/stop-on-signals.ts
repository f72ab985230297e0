// Graceful shutdown on Ctrl-C / SIGTERM: stop in order (PostgreSQL last), exit 0. A second
// signal means "now": exit at once.
import type { Logger } from '../ops/logger.ts';

export function stopOnSignals(stop: () => Promise<void>, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without a clean stop');
        process.exit(130);
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      stop().then(
        () => {
          logger.info('stopped');
          resolve();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
