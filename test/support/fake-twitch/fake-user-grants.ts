// The user's side of Twitch's OAuth, faked: device codes waiting for someone to enter them on the
// activate page (Device Code Grant Flow), and the authorize page of the authorization-code flow,
// which sends the browser back to the app's redirect URI with a code. Tests play the user:
// `approveDevice` / `denyDevice` for a device code, `autoApproveAs` / `autoDeny` for the
// authorize page. What a grant yields is minted by the server that owns the tokens.
import { randomBytes } from 'node:crypto';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** The OAuth server's error body has no `error` field: `{"status":401,"message":"invalid access token"}`. */
export function oauthError(status: number, message: string): Reply {
  return { status, body: { status, message } };
}

/** The user a token is to be minted for, for which app and with which scopes. */
export interface UserGrant {
  clientId: string;
  login: string;
  scopes: string[];
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export interface FakeUserGrantsOptions {
  clock: () => number;
  /** Twitch: 1800 s. */
  deviceCodeLifetimeSeconds: number;
  /** The least time between two polls of one device code. Twitch: 5 s. */
  devicePollIntervalSeconds: number;
  /** Where the activate page would be (the fake serves none): the server's base address. */
  baseUrl: () => string;
  /** Mints the token a grant yields and answers with Twitch's token body. */
  mint: (grant: UserGrant) => Reply;
}

interface PendingDevice {
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  lastPollAt: number | undefined;
  decision: { approvedAs: string } | 'denied' | undefined;
}

interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  grant: UserGrant;
  expiresAt: number;
}

/** Twitch lets an authorization code be redeemed within about ten minutes, once. */
const AUTHORIZATION_CODE_LIFETIME_MS = 10 * 60_000;

export class FakeUserGrants {
  private readonly options: FakeUserGrantsOptions;
  private readonly devices = new Map<string, PendingDevice>();
  private readonly codes = new Map<string, AuthorizationCode>();
  private authorizeAnswer: { approveAs: string } | 'deny' | undefined;

  constructor(options: FakeUserGrantsOptions) {
    this.options = options;
  }

  // ---- controls: the user ----

  /** The user entered `userCode` on the activate page and clicked Authorize, signed in as `login`. */
  approveDevice(userCode: string, login: string): void {
    this.deviceByUserCode(userCode).decision = { approvedAs: login.toLowerCase() };
  }

  /** The user entered `userCode` and clicked Decline. */
  denyDevice(userCode: string): void {
    this.deviceByUserCode(userCode).decision = 'denied';
  }

  /** From now on the authorize page is answered at once, as `login` clicking Authorize. */
  autoApproveAs(login: string): void {
    this.authorizeAnswer = { approveAs: login.toLowerCase() };
  }

  /** From now on the authorize page is answered at once by a user clicking Cancel. */
  autoDeny(): void {
    this.authorizeAnswer = 'deny';
  }

  // ---- requests (the client is known; the server checked it) ----

  /** POST /oauth2/device: a device code and the user code to enter on the activate page. */
  startDevice(clientId: string, params: URLSearchParams): Reply {
    const userCode = randomToken(8, 'ABCDEFGHJKLMNPQRSTUVWXYZ');
    const deviceCode = randomToken(40);
    const { clock, deviceCodeLifetimeSeconds, devicePollIntervalSeconds } = this.options;
    this.devices.set(deviceCode, {
      userCode,
      clientId,
      scopes: splitScopes(params.get('scopes')),
      expiresAt: clock() + deviceCodeLifetimeSeconds * 1000,
      lastPollAt: undefined,
      decision: undefined,
    });
    return {
      status: 200,
      body: {
        device_code: deviceCode,
        expires_in: deviceCodeLifetimeSeconds,
        interval: devicePollIntervalSeconds,
        user_code: userCode,
        verification_uri: `${this.options.baseUrl()}/activate?device-code=${userCode}`,
      },
    };
  }

  /** POST /oauth2/token with the device-code grant: pending, too fast, refused, or the token. */
  pollDevice(clientId: string, params: URLSearchParams): Reply {
    const deviceCode = params.get('device_code') ?? '';
    const device = this.devices.get(deviceCode);
    const now = this.options.clock();
    if (device === undefined || device.clientId !== clientId || now >= device.expiresAt) {
      this.devices.delete(deviceCode);
      return oauthError(400, 'invalid device code');
    }
    const tooSoon =
      device.lastPollAt !== undefined &&
      now - device.lastPollAt < this.options.devicePollIntervalSeconds * 1000;
    device.lastPollAt = now;
    if (tooSoon) return oauthError(400, 'slow_down');
    if (device.decision === undefined) return oauthError(400, 'authorization_pending');
    this.devices.delete(deviceCode);
    if (device.decision === 'denied') return oauthError(400, 'access_denied');
    return this.options.mint({
      clientId,
      login: device.decision.approvedAs,
      scopes: device.scopes,
    });
  }

  /** GET /oauth2/authorize: the user's answer, as Twitch's redirect back to the app. */
  authorize(clientId: string, params: URLSearchParams): Reply {
    if (params.get('response_type') !== 'code') return oauthError(400, 'unsupported response type');
    const redirect = parseRedirect(params.get('redirect_uri'));
    if (redirect === undefined) return oauthError(400, 'Parameter redirect_uri does not match');
    const answer = this.authorizeAnswer;
    if (answer === undefined) {
      return oauthError(400, 'fake Twitch: nobody answers the authorize page (autoApproveAs)');
    }
    const state = params.get('state');
    if (answer === 'deny') {
      redirect.searchParams.set('error', 'access_denied');
      redirect.searchParams.set('error_description', 'The user denied you access');
    } else {
      const scopes = splitScopes(params.get('scope'));
      const code = randomToken(30);
      this.codes.set(code, {
        clientId,
        redirectUri: params.get('redirect_uri') ?? '',
        grant: { clientId, login: answer.approveAs, scopes },
        expiresAt: this.options.clock() + AUTHORIZATION_CODE_LIFETIME_MS,
      });
      redirect.searchParams.set('code', code);
      redirect.searchParams.set('scope', scopes.join(' '));
    }
    if (state !== null) redirect.searchParams.set('state', state);
    return { status: 302, headers: { Location: redirect.toString() } };
  }

  /** POST /oauth2/token with the authorization-code grant: each code once, for its redirect URI. */
  redeemCode(clientId: string, params: URLSearchParams): Reply {
    const code = params.get('code') ?? '';
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (
      issued === undefined ||
      issued.clientId !== clientId ||
      issued.redirectUri !== params.get('redirect_uri') ||
      this.options.clock() >= issued.expiresAt
    ) {
      return oauthError(400, 'Invalid authorization code');
    }
    return this.options.mint(issued.grant);
  }

  private deviceByUserCode(userCode: string): PendingDevice {
    for (const device of this.devices.values()) {
      if (device.userCode === userCode) return device;
    }
    throw new Error(`fake Twitch: no pending device code with user code ${userCode}`);
  }
}

/** Twitch takes scopes space-separated (`+` or `%20` in a form body). */
function splitScopes(raw: string | null): string[] {
  return (raw ?? '').split(' ').filter((scope) => scope !== '');
}

function parseRedirect(raw: string | null): URL | undefined {
  try {
    const url = new URL(raw ?? '');
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Random lowercase letters and digits, like Twitch's tokens and codes. */
export function randomToken(
  length: number,
  alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789',
): string {
  let out = '';
  for (const byte of randomBytes(length)) out += alphabet[byte % alphabet.length];
  return out;
}
