// Device Code Grant Flow: how a headless server gets a user token. Twitch hands out a user code;
// the person opens the verification address on any device with a browser, signs in and enters
// the code, while this side polls the token endpoint at the interval Twitch asked for until the
// code is approved, declined or expired. Nothing needs to reach this machine from outside.
import {
  describeAnswer,
  issuedUserToken,
  OAuthUnreachableError,
  postOAuthForm,
  UserAuthorizationError,
  type IssuedUserToken,
  type OAuthServer,
} from './twitch-oauth.ts';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** RFC 8628: after `slow_down`, the client polls this much less often, for good. */
const SLOW_DOWN_STEP_MS = 5000;

/** What the person has to do, shown while the flow waits for them. */
export interface DevicePrompt {
  verificationUri: string;
  userCode: string;
  expiresInS: number;
}

export interface DeviceCodeFlowOptions extends OAuthServer {
  clientId: string;
  /** A confidential client sends its secret with each poll; a public client has none. */
  clientSecret?: string;
  scopes: readonly string[];
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  onPrompt: (prompt: DevicePrompt) => void;
}

interface DeviceCode {
  deviceCode: string;
  prompt: DevicePrompt;
  intervalMs: number;
}

type PollResult = { token: IssuedUserToken } | 'pending' | 'slow-down';

/** Runs the whole flow: the user token once the person approves; UserAuthorizationError if not. */
export async function authorizeDevice(options: DeviceCodeFlowOptions): Promise<IssuedUserToken> {
  const device = await requestDeviceCode(options);
  options.onPrompt(device.prompt);
  const expiresAt = options.clock() + device.prompt.expiresInS * 1000;
  let intervalMs = device.intervalMs;
  for (;;) {
    await options.sleep(intervalMs);
    if (options.clock() >= expiresAt) throw expired();
    const result = await poll(options, device.deviceCode);
    if (result === 'slow-down') intervalMs += SLOW_DOWN_STEP_MS;
    else if (result !== 'pending') return result.token;
  }
}

async function requestDeviceCode(options: DeviceCodeFlowOptions): Promise<DeviceCode> {
  const answer = await postOAuthForm(options, 'device', {
    client_id: options.clientId,
    scopes: options.scopes.join(' '),
  });
  const { device_code, user_code, verification_uri, expires_in, interval } = answer.body;
  if (
    answer.status !== 200 ||
    typeof device_code !== 'string' ||
    typeof user_code !== 'string' ||
    typeof verification_uri !== 'string'
  ) {
    throw new UserAuthorizationError(
      `Twitch refused to start the device code flow (${describeAnswer(answer)}): check TWITCH_CLIENT_ID`,
    );
  }
  return {
    deviceCode: device_code,
    prompt: {
      verificationUri: verification_uri,
      userCode: user_code,
      // Twitch's documented defaults, should an answer leave them out.
      expiresInS: positiveNumber(expires_in) ?? 1800,
    },
    intervalMs: (positiveNumber(interval) ?? 5) * 1000,
  };
}

/** One poll of the token endpoint. No answer or a 5xx is a blip: ask again at the next interval. */
async function poll(options: DeviceCodeFlowOptions, deviceCode: string): Promise<PollResult> {
  const form: Record<string, string> = {
    client_id: options.clientId,
    scopes: options.scopes.join(' '),
    device_code: deviceCode,
    grant_type: DEVICE_CODE_GRANT,
  };
  if (options.clientSecret !== undefined) form.client_secret = options.clientSecret;
  let answer;
  try {
    answer = await postOAuthForm(options, 'token', form);
  } catch (error) {
    if (error instanceof OAuthUnreachableError) return 'pending';
    throw error;
  }
  const token = issuedUserToken(answer);
  if (token !== undefined) return { token };
  if (answer.status >= 500) return 'pending';
  switch (answer.message) {
    case 'authorization_pending':
      return 'pending';
    case 'slow_down':
      return 'slow-down';
    case 'access_denied':
      throw new UserAuthorizationError(
        'the authorization was declined on Twitch: run streamscout auth again to retry',
      );
    case 'invalid device code':
    case 'expired_token':
      throw expired();
    default:
      throw new UserAuthorizationError(
        `Twitch refused the device code (${describeAnswer(answer)}): check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET`,
      );
  }
}

function expired(): UserAuthorizationError {
  return new UserAuthorizationError(
    'the code expired before it was entered on Twitch: run streamscout auth again for a new one',
  );
}

function positiveNumber(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}
