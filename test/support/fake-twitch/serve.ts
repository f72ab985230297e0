// Runs fake Twitch on loopback with a handful of live channels that chat on their own, so a
// person can point Stream Scout at it:
//
//   node test/support/fake-twitch/serve.ts [--irc-port 6667] [--http-port 8780] [--seed 1]
//
// and then start Stream Scout with the environment it prints. Ctrl-C stops it.
import { parseArgs } from 'node:util';
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, startFakeTwitch } from './index.ts';
import { FakeLiveChannels } from './live-channels.ts';

const { values } = parseArgs({
  options: {
    'irc-port': { type: 'string', default: '6667' },
    'http-port': { type: 'string', default: '8780' },
    seed: { type: 'string', default: '1' },
  },
});

const fake = await startFakeTwitch({
  // Twitch PINGs about every 5 minutes; a shorter interval shows liveness handling sooner.
  irc: { port: Number(values['irc-port']), pingIntervalMs: 60_000, pingTimeoutMs: 10_000 },
  helix: { port: Number(values['http-port']) },
});
const live = new FakeLiveChannels({ irc: fake.irc, helix: fake.helix, seed: Number(values.seed) });
live.start();

const lines = [
  `fake Twitch: chat on ${fake.irc.host}:${fake.irc.port}, Helix + OAuth on ${fake.helix.baseUrl}`,
  `live channels: ${live.channels.join(', ')}`,
  '',
  'Point Stream Scout at it with:',
  `  export TWITCH_API_BASE_URL=${fake.helix.apiBaseUrl}`,
  `  export TWITCH_AUTH_BASE_URL=${fake.helix.authBaseUrl}`,
  `  export TWITCH_IRC_HOST=${fake.env.TWITCH_IRC_HOST}`,
  `  export TWITCH_CLIENT_ID=${FAKE_CLIENT_ID} TWITCH_CLIENT_SECRET=${FAKE_CLIENT_SECRET}   # for discovery`,
];
console.log(lines.join('\n'));

let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  live.stop();
  await fake.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
