// A process that stops cleanly on a signal but is held open by a stray timer (as a library's
// timer can): for test/cli/stop-on-signals.test.ts. Prints "ready" once its handlers are set.
import { stopOnSignals } from '../../src/cli/stop-on-signals.ts';
import { createLogger } from '../../src/ops/logger.ts';

setInterval(() => {}, 1_000);
const stopped = stopOnSignals(async () => {}, createLogger('warn', 'json'));
process.stderr.write('ready\n');
await stopped;
