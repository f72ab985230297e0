// A clipper on its own in a process, wired as `streamscout start` wires it (startClipping) from
// the environment: DATABASE_URL, the TWITCH_* settings and the CLIP_* limits. Prints "ready"
// once clipping; SIGTERM stops it. Tests start several to race them, and kill one mid-call.
import { startClipping } from '../../src/app/clipping.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/ops/logger.ts';
import { Metrics } from '../../src/ops/metrics.ts';
import { openStore } from '../../src/storage/postgres-store.ts';

const config = loadConfig(process.env);
const logger = createLogger(config.logLevel, 'json');
const store = await openStore({ url: config.databaseUrl!, logger });
const clipper = await startClipping(config, { store, metrics: new Metrics(), logger });
if (clipper === undefined) {
  process.stderr.write('clipping did not start\n');
  process.exit(2);
}
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void clipper
    .stop()
    .then(() => store.close())
    .then(() => process.exit(0));
});
