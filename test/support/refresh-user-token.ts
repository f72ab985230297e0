// A separate process holding the token file: `node refresh-user-token.ts FILE AUTH_BASE_URL
// CLIENT_ID CLIENT_SECRET REJECTED_TOKEN` prints "ready", waits for a line on stdin, then
// refreshes past REJECTED_TOKEN and prints the access token it ends with. The token-file test
// starts several, then says go to all at once, so their refreshes really race.
import { once } from 'node:events';
import { UserTokenFile } from '../../src/sources/twitch/user-token-file.ts';

const [path = '', authBaseUrl = '', clientId = '', clientSecret = '', rejected = ''] =
  process.argv.slice(2);
const file = new UserTokenFile({ path, authBaseUrl, clientId, clientSecret });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const token = await file.refresh(rejected);
process.stdout.write(`${token.accessToken}\n`);
process.stdin.destroy();
