// Graceful shutdown on Ctrl-C / SIGTERM: stop in order (PostgreSQL last), exit 0. A second
// signal means "now": exit at once.
import type { Logger } from '../ops/logger.ts';

const HELD_OPEN_GRACE_MS = 5_000;

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
      stop()
        .then(
          () => logger.info('stopped'),
          (error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            process.exitCode = 1;
          },
        )
        .finally(() => {
          exitIfHeldOpen(logger);
          resolve();
        });
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

/**
 * Everything is stopped, so the process should end on its own now. If something still holds
 * it open (seen: the Kafka client's heartbeat timer, rescheduling itself after the client was
 * closed), it exits anyway after `HELD_OPEN_GRACE_MS`; the timer is unref'd, so it never delays
 * an exit that happens by itself.
 */
function exitIfHeldOpen(logger: Logger): void {
  setTimeout(() => {
    logger.warn('still running after a clean stop: exiting');
    process.exit();
  }, HELD_OPEN_GRACE_MS).unref();
}
