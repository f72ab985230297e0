// A fake of Twitch's HTTP APIs on loopback: the OAuth server (id.twitch.tv/oauth2) and the
// parts of Helix (api.twitch.tv/helix) Stream Scout uses — Get Streams, Get Users, and Create
// Clip / Get Clips (fake-clips.ts) — with
// Twitch's JSON shapes, error bodies, Client-Id + Bearer checks and Ratelimit-* headers.
// Tests set the live streams between polls and inject failures (expired tokens, 429, 5xx).
//
// Base addresses: `apiBaseUrl` (.../helix) and `authBaseUrl` (.../oauth2) are what
// TWITCH_API_BASE_URL and TWITCH_AUTH_BASE_URL should be set to. The same handlers also answer
// under /mock and /auth, the paths @twurple's clients use when TWURPLE_MOCK_API_PORT is set.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { FakeClips } from './fake-clips.ts';
import { fakeStreamId, fakeUserId } from './fake-ids.ts';
import {
  DEVICE_CODE_GRANT,
  FakeUserGrants,
  oauthError,
  randomToken,
  type Reply,
  type UserGrant,
} from './fake-user-grants.ts';

/** One element of Get Streams' `data`, exactly as Twitch returns it. */
export interface HelixStream {
  id: string;
  user_id: string;
  user_login: string;
  user_name: string;
  game_id: string;
  game_name: string;
  type: 'live' | '';
  title: string;
  viewer_count: number;
  started_at: string;
  language: string;
  thumbnail_url: string;
  /** Deprecated by Twitch and always empty. */
  tag_ids: string[];
  tags: string[];
  is_mature: boolean;
}

/** One element of Get Users' `data`. */
export interface HelixUser {
  id: string;
  login: string;
  display_name: string;
  type: '' | 'admin' | 'global_mod' | 'staff';
  broadcaster_type: '' | 'affiliate' | 'partner';
  description: string;
  profile_image_url: string;
  offline_image_url: string;
  view_count: number;
  created_at: string;
}

export type FakeStreamInput = Partial<HelixStream> & { user_login: string };
export type FakeUserInput = Partial<HelixUser> & { login: string };

/** A few real category ids, so game filters look like Twitch's. */
export const GAMES: Readonly<Record<string, string>> = {
  '509658': 'Just Chatting',
  '21779': 'League of Legends',
  '32982': 'Grand Theft Auto V',
  '32399': 'Counter-Strike',
  '516575': 'VALORANT',
  '33214': 'Fortnite',
  '27471': 'Minecraft',
  '29595': 'Dota 2',
  '26936': 'Music',
  '509660': 'Art',
};

export interface FakeHelixServerOptions {
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Registered applications: client id -> client secret. Default { 'fake-client-id': 'fake-client-secret' }. */
  clients?: Readonly<Record<string, string>>;
  /** Lifetime of app access tokens. Twitch: about 60 days. */
  appTokenLifetimeSeconds?: number;
  /** Lifetime of user access tokens. Twitch: about 4 hours. */
  userTokenLifetimeSeconds?: number;
  /** Lifetime of a device code and its user code. Twitch: 1800 s. */
  deviceCodeLifetimeSeconds?: number;
  /** The `interval` a device code is polled at; faster polls answer `slow_down`. Twitch: 5 s. */
  devicePollIntervalSeconds?: number;
  /** The Helix points bucket: Twitch gives an app token 800 points per minute; each call here costs 1. */
  rateLimit?: { points: number; windowMs: number };
  /** Time from Create Clip until Get Clips returns the clip. Default 2000 ms. */
  clipProcessingMs?: number;
  /** Source of token expiry and rate-limit windows. Default Date.now. */
  clock?: () => number;
  streams?: readonly FakeStreamInput[];
  users?: readonly FakeUserInput[];
}

export interface RequestLogEntry {
  at: number;
  method: string;
  /** Path as requested (e.g. /helix/streams). */
  path: string;
  query: Record<string, string[]>;
  clientId: string | undefined;
  authorization: string | undefined;
  status: number;
}

interface TokenRecord {
  kind: 'app' | 'user';
  clientId: string;
  login?: string;
  userId?: string;
  scopes: string[];
  expiresAt: number;
}

interface RefreshRecord {
  clientId: string;
  login: string;
  userId: string;
  scopes: string[];
}

type Area = 'helix' | 'oauth';

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/** Helix's error body: `{"error":"Unauthorized","status":401,"message":"Invalid OAuth token"}`. */
function helixError(status: number, message: string, headers?: Record<string, string>): Reply {
  return { status, body: { error: STATUS_TEXT[status] ?? 'Error', status, message }, headers };
}

/** Twitch's Helix cursors are base64 of `{"b":null,"a":{"Offset":N}}`; clients must treat them as opaque. */
function encodeCursor(offset: number): string {
  return Buffer.from(JSON.stringify({ b: null, a: { Offset: offset } })).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      a?: { Offset?: unknown };
    };
    const offset = parsed.a?.Offset;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0
      ? offset
      : undefined;
  } catch {
    return undefined;
  }
}

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export class FakeHelixServer {
  readonly host: string;
  private readonly server: Server;
  private readonly clock: () => number;
  private readonly clients: Map<string, string>;
  private readonly appTokenLifetimeSeconds: number;
  private readonly userTokenLifetimeSeconds: number;
  private rateLimit: { points: number; windowMs: number };
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshRecord>();
  private readonly userGrants: FakeUserGrants;
  private readonly buckets = new Map<string, { windowStart: number; used: number }>();
  private readonly forced: { status: number; remaining: number; area: Area | 'all' }[] = [];
  private streamList: HelixStream[] = [];
  private readonly userMap = new Map<string, HelixUser>();
  private listeningPort = 0;

  /** Every request, in arrival order, with the status it got. */
  readonly requests: RequestLogEntry[] = [];
  /** Clips made through Create Clip, and the controls to make clipping fail. */
  readonly clips: FakeClips;

  private constructor(options: FakeHelixServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.clock = options.clock ?? Date.now;
    this.clients = new Map(
      Object.entries(options.clients ?? { 'fake-client-id': 'fake-client-secret' }),
    );
    this.appTokenLifetimeSeconds = options.appTokenLifetimeSeconds ?? 5_184_000;
    this.userTokenLifetimeSeconds = options.userTokenLifetimeSeconds ?? 14_400;
    this.rateLimit = options.rateLimit ?? { points: 800, windowMs: 60_000 };
    this.userGrants = new FakeUserGrants({
      clock: this.clock,
      deviceCodeLifetimeSeconds: options.deviceCodeLifetimeSeconds ?? 1800,
      devicePollIntervalSeconds: options.devicePollIntervalSeconds ?? 5,
      baseUrl: () => this.baseUrl,
      mint: (grant) => this.grantUserToken(grant),
    });
    this.clips = new FakeClips({
      clock: this.clock,
      processingMs: options.clipProcessingMs ?? 2000,
      error: (status, message) => helixError(status, message),
    });
    for (const user of options.users ?? []) this.addUser(user);
    this.setStreams(options.streams ?? []);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  }

  static async start(options: FakeHelixServerOptions = {}): Promise<FakeHelixServer> {
    const fake = new FakeHelixServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, fake.host, () => {
        fake.server.off('error', reject);
        resolve();
      });
    });
    const address = fake.server.address();
    fake.listeningPort = typeof address === 'object' && address !== null ? address.port : 0;
    return fake;
  }

  get port(): number {
    return this.listeningPort;
  }

  get baseUrl(): string {
    return `http://${this.host}:${this.listeningPort}`;
  }

  /** What TWITCH_API_BASE_URL should be. */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/helix`;
  }

  /** What TWITCH_AUTH_BASE_URL should be. */
  get authBaseUrl(): string {
    return `${this.baseUrl}/oauth2`;
  }

  async close(): Promise<void> {
    this.clips.releaseHeld();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- controls: the live streams and users ----

  /**
   * Replaces the set of live streams. Get Streams returns them by viewer count, highest first,
   * so changing viewer counts between polls changes the ranks. A login that was already live
   * keeps its stream id and started_at unless given (the same broadcast goes on).
   */
  setStreams(streams: readonly FakeStreamInput[]): void {
    const previous = new Map(this.streamList.map((s) => [s.user_login, s]));
    this.streamList = streams.map((input) =>
      this.completeStream(input, previous.get(input.user_login.toLowerCase())),
    );
  }

  /** Changes one live stream (viewer_count, title, game_id/game_name, ...). */
  updateStream(login: string, patch: Partial<HelixStream>): void {
    const index = this.streamList.findIndex((s) => s.user_login === login.toLowerCase());
    const current = this.streamList[index];
    if (current === undefined) throw new Error(`fake Helix: ${login} is not live`);
    const merged = { ...current, ...patch };
    if (patch.game_id !== undefined && patch.game_name === undefined) {
      merged.game_name = GAMES[patch.game_id] ?? '';
    }
    this.streamList[index] = merged;
  }

  /** Takes a stream offline: it disappears from Get Streams. */
  removeStream(login: string): void {
    this.streamList = this.streamList.filter((s) => s.user_login !== login.toLowerCase());
  }

  /** The live streams in the order Get Streams returns them. */
  get streams(): HelixStream[] {
    return this.sortedStreams().map((s) => ({ ...s, tag_ids: [...s.tag_ids], tags: [...s.tags] }));
  }

  addUser(input: FakeUserInput): HelixUser {
    const login = input.login.toLowerCase();
    const user: HelixUser = {
      id: fakeUserId(login),
      display_name: input.login,
      type: '',
      broadcaster_type: '',
      description: '',
      profile_image_url: `https://static-cdn.jtvnw.net/jtv_user_pictures/${login}-profile_image-300x300.png`,
      offline_image_url: '',
      view_count: 0,
      created_at: '2016-12-14T20:32:28Z',
      ...this.userMap.get(login),
      ...input,
      login,
    };
    this.userMap.set(login, user);
    return user;
  }

  // ---- controls: tokens and failures ----

  /** An app access token without going through /oauth2/token. */
  issueAppToken(clientId = this.defaultClientId()): string {
    const token = randomToken(30);
    this.tokens.set(token, {
      kind: 'app',
      clientId,
      scopes: [],
      expiresAt: this.clock() + this.appTokenLifetimeSeconds * 1000,
    });
    return token;
  }

  /** A user access token and its refresh token, as the authorization-code flow would give. */
  issueUserToken(options: { login: string; scopes?: string[]; clientId?: string }): {
    accessToken: string;
    refreshToken: string;
    userId: string;
  } {
    const login = options.login.toLowerCase();
    const user = this.userMap.get(login) ?? this.addUser({ login });
    const record: RefreshRecord = {
      clientId: options.clientId ?? this.defaultClientId(),
      login,
      userId: user.id,
      scopes: options.scopes ?? ['chat:read'],
    };
    const { accessToken, refreshToken } = this.mintUserToken(record);
    return { accessToken, refreshToken, userId: user.id };
  }

  /** Device Code Grant Flow: the user enters `userCode` on the activate page and authorizes, as `login`. */
  approveDevice(userCode: string, login: string): void {
    this.userGrants.approveDevice(userCode, login);
  }

  /** Device Code Grant Flow: the user enters `userCode` and declines. */
  denyDevice(userCode: string): void {
    this.userGrants.denyDevice(userCode);
  }

  /** Authorization code flow: /oauth2/authorize redirects at once, as `login` clicking Authorize. */
  autoApproveAs(login: string): void {
    this.userGrants.autoApproveAs(login);
  }

  /** Authorization code flow: /oauth2/authorize redirects at once with `error=access_denied`. */
  autoDeny(): void {
    this.userGrants.autoDeny();
  }

  /** Whose live user token this is, if it may log in to chat (scope `chat:read`). */
  chatUserOf(token: string): { login: string; userId: string } | undefined {
    const record = this.liveToken(token);
    if (record?.kind !== 'user' || !record.scopes.includes('chat:read')) return undefined;
    if (record.login === undefined || record.userId === undefined) return undefined;
    return { login: record.login, userId: record.userId };
  }

  /** Every access token issued so far stops working (the next Helix call answers 401); refresh tokens still work. */
  expireAllTokens(): void {
    const now = this.clock();
    for (const record of this.tokens.values()) record.expiresAt = Math.min(record.expiresAt, now);
  }

  expireToken(token: string): void {
    const record = this.tokens.get(token);
    if (record !== undefined) record.expiresAt = Math.min(record.expiresAt, this.clock());
  }

  /**
   * The next `count` requests to `area` (Helix by default) answer `status` (429, 500, 503, ...)
   * before any other check. A forced 429 carries Ratelimit headers with Remaining 0.
   */
  forceNextResponses(status: number, count = 1, area: Area | 'all' = 'helix'): void {
    this.forced.push({ status, remaining: count, area });
  }

  setRateLimit(rateLimit: { points: number; windowMs: number }): void {
    this.rateLimit = rateLimit;
    this.buckets.clear();
  }

  /** Requests whose path ends with the given suffix, e.g. '/streams'. */
  requestsTo(pathSuffix: string): RequestLogEntry[] {
    return this.requests.filter((r) => r.path.endsWith(pathSuffix));
  }

  // ---- request handling ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const body = await readBody(req);
    const entry: RequestLogEntry = {
      at: this.clock(),
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryRecord(url.searchParams),
      clientId: header(req, 'client-id'),
      authorization: header(req, 'authorization'),
      status: 0,
    };
    this.requests.push(entry);
    const path = url.pathname.replace(/^\/auth\//, '/oauth2/').replace(/^\/mock\//, '/helix/');
    let reply: Reply;
    if (path.startsWith('/oauth2/')) {
      reply = this.forcedReply('oauth') ?? this.handleOAuth(req, path, url.searchParams, body);
    } else if (path.startsWith('/helix/')) {
      reply = this.forcedReply('helix') ?? (await this.handleHelix(req, path, url.searchParams));
    } else {
      reply = helixError(404, 'page not found');
    }
    entry.status = reply.status;
    const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(payload === '' ? {} : { 'Content-Type': 'application/json; charset=utf-8' }),
      ...reply.headers,
    });
    res.end(payload);
  }

  private forcedReply(area: Area): Reply | undefined {
    const index = this.forced.findIndex((f) => f.area === area || f.area === 'all');
    const forced = this.forced[index];
    if (forced === undefined) return undefined;
    forced.remaining -= 1;
    if (forced.remaining <= 0) this.forced.splice(index, 1);
    if (forced.status === 429) {
      const resetMs = this.clock() + this.rateLimit.windowMs;
      return helixError(429, 'Too Many Requests', {
        'Ratelimit-Limit': String(this.rateLimit.points),
        'Ratelimit-Remaining': '0',
        'Ratelimit-Reset': String(Math.ceil(resetMs / 1000)),
      });
    }
    return area === 'helix'
      ? helixError(forced.status, '')
      : oauthError(forced.status, STATUS_TEXT[forced.status] ?? 'error');
  }

  private handleOAuth(
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
    body: string,
  ): Reply {
    // Twitch takes these parameters from the query string or a form-encoded body.
    const params = new URLSearchParams(query);
    const contentType = header(req, 'content-type') ?? '';
    if (body !== '' && contentType.includes('application/x-www-form-urlencoded')) {
      for (const [name, value] of new URLSearchParams(body)) params.set(name, value);
    } else if (body !== '' && contentType.includes('application/json')) {
      try {
        for (const [name, value] of Object.entries(JSON.parse(body) as Record<string, unknown>)) {
          params.set(name, String(value));
        }
      } catch {
        return oauthError(400, 'invalid JSON body');
      }
    }
    if (path === '/oauth2/token' && req.method === 'POST') return this.token(params);
    if (path === '/oauth2/device' && req.method === 'POST') {
      return this.withClient(params, (clientId) => this.userGrants.startDevice(clientId, params));
    }
    if (path === '/oauth2/authorize' && req.method === 'GET') {
      return this.withClient(params, (clientId) => this.userGrants.authorize(clientId, params));
    }
    if (path === '/oauth2/validate' && req.method === 'GET') return this.validate(req);
    if (path === '/oauth2/revoke' && req.method === 'POST') return this.revoke(params);
    return oauthError(404, 'page not found');
  }

  /** Answers for a registered client only. */
  private withClient(params: URLSearchParams, answer: (clientId: string) => Reply): Reply {
    const clientId = params.get('client_id');
    if (clientId === null || clientId === '') return oauthError(400, 'missing client id');
    if (!this.clients.has(clientId)) return oauthError(400, 'invalid client');
    return answer(clientId);
  }

  private token(params: URLSearchParams): Reply {
    return this.withClient(params, (clientId) => {
      const grant = params.get('grant_type');
      const sent = params.get('client_secret');
      // The device flow serves public clients too, which have no secret; one that is sent must match.
      const secretOptional = grant === DEVICE_CODE_GRANT && sent === null;
      if (!secretOptional && sent !== this.clients.get(clientId)) {
        return oauthError(403, 'invalid client secret');
      }
      return this.grantToken(clientId, grant, params);
    });
  }

  private grantToken(clientId: string, grant: string | null, params: URLSearchParams): Reply {
    if (grant === 'client_credentials') {
      const accessToken = this.issueAppToken(clientId);
      return {
        status: 200,
        body: {
          access_token: accessToken,
          expires_in: this.appTokenLifetimeSeconds,
          token_type: 'bearer',
        },
      };
    }
    if (grant === 'refresh_token') {
      const refreshToken = params.get('refresh_token') ?? '';
      const record = this.refreshTokens.get(refreshToken);
      if (record === undefined || record.clientId !== clientId) {
        return oauthError(400, 'Invalid refresh token');
      }
      // The refresh token rotates: the one just used is spent.
      this.refreshTokens.delete(refreshToken);
      return this.userTokenReply(record);
    }
    if (grant === DEVICE_CODE_GRANT) return this.userGrants.pollDevice(clientId, params);
    if (grant === 'authorization_code') return this.userGrants.redeemCode(clientId, params);
    return oauthError(400, 'unsupported grant type');
  }

  /** A user token for what the user authorized, in the token endpoint's answer. */
  private grantUserToken(grant: UserGrant): Reply {
    const user = this.userMap.get(grant.login) ?? this.addUser({ login: grant.login });
    return this.userTokenReply({ ...grant, userId: user.id });
  }

  private userTokenReply(record: RefreshRecord): Reply {
    const minted = this.mintUserToken(record);
    return {
      status: 200,
      body: {
        access_token: minted.accessToken,
        expires_in: this.userTokenLifetimeSeconds,
        refresh_token: minted.refreshToken,
        scope: [...record.scopes],
        token_type: 'bearer',
      },
    };
  }

  private validate(req: IncomingMessage): Reply {
    const token = bearerOrOAuth(header(req, 'authorization'));
    if (token === undefined) return oauthError(401, 'missing authorization token');
    const record = this.liveToken(token);
    if (record === undefined) return oauthError(401, 'invalid access token');
    const expiresIn = Math.max(0, Math.floor((record.expiresAt - this.clock()) / 1000));
    if (record.kind === 'app') {
      return {
        status: 200,
        body: { client_id: record.clientId, scopes: [], expires_in: expiresIn },
      };
    }
    return {
      status: 200,
      body: {
        client_id: record.clientId,
        login: record.login,
        scopes: [...record.scopes],
        user_id: record.userId,
        expires_in: expiresIn,
      },
    };
  }

  private revoke(params: URLSearchParams): Reply {
    const token = params.get('token') ?? '';
    const record = this.tokens.get(token);
    if (record === undefined || record.clientId !== params.get('client_id')) {
      return oauthError(400, 'Invalid token');
    }
    this.tokens.delete(token);
    return { status: 200 };
  }

  private async handleHelix(
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
  ): Promise<Reply> {
    const authorization = header(req, 'authorization');
    if (authorization === undefined || authorization === '') {
      return helixError(401, 'OAuth token is missing');
    }
    const clientId = header(req, 'client-id');
    if (clientId === undefined || clientId === '') return helixError(401, 'Client ID is missing');
    const match = /^Bearer (\S+)$/i.exec(authorization);
    const record = match?.[1] === undefined ? undefined : this.liveToken(match[1]);
    if (record === undefined) {
      return helixError(401, 'Invalid OAuth token', {
        'WWW-Authenticate': 'OAuth realm="TwitchTV", error="invalid_token"',
      });
    }
    if (record.clientId !== clientId) {
      return helixError(401, 'Client ID and OAuth token do not match');
    }
    const limit = this.spendPoint(`${clientId}:${record.userId ?? 'app'}`);
    if (limit.exhausted) return helixError(429, 'Too Many Requests', limit.headers);
    let reply: Reply;
    if (path === '/helix/streams' && req.method === 'GET') reply = this.getStreams(query);
    else if (path === '/helix/users' && req.method === 'GET') reply = this.getUsers(query, record);
    else if (path === '/helix/clips' && req.method === 'GET') reply = this.clips.get(query);
    else if (path === '/helix/clips' && req.method === 'POST') {
      const creator =
        record.kind === 'user' && record.userId !== undefined && record.login !== undefined
          ? { userId: record.userId, login: record.login, scopes: record.scopes }
          : undefined;
      reply = await this.clips.create(query, creator, (id) =>
        this.streamList.find((stream) => stream.user_id === id),
      );
    } else reply = helixError(404, 'page not found');
    return { ...reply, headers: { ...reply.headers, ...limit.headers } };
  }

  private spendPoint(key: string): { exhausted: boolean; headers: Record<string, string> } {
    const now = this.clock();
    const { points, windowMs } = this.rateLimit;
    let bucket = this.buckets.get(key);
    if (bucket === undefined || now >= bucket.windowStart + windowMs) {
      bucket = { windowStart: now, used: 0 };
      this.buckets.set(key, bucket);
    }
    const exhausted = bucket.used >= points;
    if (!exhausted) bucket.used += 1;
    return {
      exhausted,
      headers: {
        'Ratelimit-Limit': String(points),
        'Ratelimit-Remaining': String(points - bucket.used),
        'Ratelimit-Reset': String(Math.ceil((bucket.windowStart + windowMs) / 1000)),
      },
    };
  }

  private getStreams(query: URLSearchParams): Reply {
    const first = parseFirst(query.get('first'));
    if (typeof first === 'string') return helixError(400, first);
    for (const name of ['user_id', 'user_login', 'game_id', 'language']) {
      if (query.getAll(name).length > 100) {
        return helixError(400, `The parameter "${name}" may be specified no more than 100 times`);
      }
    }
    const type = query.get('type') ?? 'all';
    if (type !== 'all' && type !== 'live') {
      return helixError(
        400,
        'The parameter "type" was malformed: the value must be "all" or "live"',
      );
    }
    const userIds = new Set(query.getAll('user_id'));
    const userLogins = new Set(query.getAll('user_login').map((l) => l.toLowerCase()));
    const gameIds = new Set(query.getAll('game_id'));
    const languages = new Set(query.getAll('language').map((l) => l.toLowerCase()));
    const userFilter = userIds.size > 0 || userLogins.size > 0;
    const matching = this.sortedStreams().filter(
      (s) =>
        (!userFilter || userIds.has(s.user_id) || userLogins.has(s.user_login)) &&
        (gameIds.size === 0 || gameIds.has(s.game_id)) &&
        (languages.size === 0 || languages.has(s.language)),
    );
    const after = query.get('after');
    const before = query.get('before');
    let start = 0;
    let end = Math.min(matching.length, first);
    if (after !== null && after !== '') {
      const offset = decodeCursor(after);
      if (offset === undefined) return helixError(400, 'The parameter "after" was malformed');
      start = Math.min(offset, matching.length);
      end = Math.min(matching.length, start + first);
    } else if (before !== null && before !== '') {
      const offset = decodeCursor(before);
      if (offset === undefined) return helixError(400, 'The parameter "before" was malformed');
      end = Math.min(offset, matching.length);
      start = Math.max(0, end - first);
    }
    const data = matching
      .slice(start, end)
      .map((s) => ({ ...s, tag_ids: [...s.tag_ids], tags: [...s.tags] }));
    // As on Twitch, the last page has an empty pagination object.
    const pagination = end < matching.length ? { cursor: encodeCursor(end) } : {};
    return { status: 200, body: { data, pagination } };
  }

  private getUsers(query: URLSearchParams, token: TokenRecord): Reply {
    const ids = query.getAll('id');
    const logins = query.getAll('login').map((l) => l.toLowerCase());
    if (ids.length + logins.length > 100) {
      return helixError(400, 'The sum of the "id" and "login" parameters may not exceed 100');
    }
    let found: HelixUser[];
    if (ids.length === 0 && logins.length === 0) {
      if (token.kind === 'app' || token.login === undefined) {
        return helixError(400, 'Must provide an ID, Login or OAuth Token');
      }
      const self = this.userMap.get(token.login);
      found = self === undefined ? [] : [self];
    } else {
      const byId = new Map([...this.userMap.values()].map((u) => [u.id, u]));
      const seen = new Set<string>();
      found = [];
      for (const user of [
        ...ids.map((id) => byId.get(id)),
        ...logins.map((l) => this.userMap.get(l)),
      ]) {
        // Unknown users are left out of `data`, as on Twitch.
        if (user === undefined || seen.has(user.id)) continue;
        seen.add(user.id);
        found.push(user);
      }
    }
    return { status: 200, body: { data: found.map((u) => ({ ...u })) } };
  }

  // ---- helpers ----

  private defaultClientId(): string {
    const first = this.clients.keys().next();
    if (first.done === true) throw new Error('fake Helix: no client registered');
    return first.value;
  }

  private mintUserToken(record: RefreshRecord): { accessToken: string; refreshToken: string } {
    const accessToken = randomToken(30);
    const refreshToken = randomToken(50);
    this.tokens.set(accessToken, {
      kind: 'user',
      clientId: record.clientId,
      login: record.login,
      userId: record.userId,
      scopes: [...record.scopes],
      expiresAt: this.clock() + this.userTokenLifetimeSeconds * 1000,
    });
    this.refreshTokens.set(refreshToken, { ...record, scopes: [...record.scopes] });
    return { accessToken, refreshToken };
  }

  private liveToken(token: string): TokenRecord | undefined {
    const record = this.tokens.get(token);
    return record !== undefined && record.expiresAt > this.clock() ? record : undefined;
  }

  private sortedStreams(): HelixStream[] {
    // Array.prototype.sort is stable: equal viewer counts keep the order they were set in.
    return [...this.streamList].sort((a, b) => b.viewer_count - a.viewer_count);
  }

  private completeStream(input: FakeStreamInput, previous: HelixStream | undefined): HelixStream {
    const login = input.user_login.toLowerCase();
    const gameId =
      input.game_id ??
      (input.game_name === undefined
        ? '509658'
        : (Object.entries(GAMES).find(([, name]) => name === input.game_name)?.[0] ?? ''));
    const defaults: HelixStream = {
      id: previous?.id ?? fakeStreamId(login),
      user_id: fakeUserId(login),
      user_login: login,
      user_name: login,
      game_id: gameId,
      game_name: input.game_name ?? GAMES[gameId] ?? '',
      type: 'live',
      title: `${login} is live`,
      viewer_count: 0,
      started_at: previous?.started_at ?? isoSeconds(this.clock()),
      language: 'en',
      thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
      tag_ids: [],
      tags: ['English'],
      is_mature: false,
    };
    const merged: HelixStream = { ...defaults, ...input, user_login: login };
    // Rebuilt key by key so the JSON keeps Twitch's field order.
    const stream = Object.fromEntries(
      Object.keys(defaults).map((key) => [key, merged[key as keyof HelixStream]]),
    ) as unknown as HelixStream;
    if (!this.userMap.has(login)) {
      this.addUser({ login, id: stream.user_id, display_name: stream.user_name });
    }
    return stream;
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearerOrOAuth(authorization: string | undefined): string | undefined {
  const match = /^(?:OAuth|Bearer) (\S+)$/i.exec(authorization ?? '');
  return match?.[1];
}

function queryRecord(params: URLSearchParams): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [name, value] of params) (record[name] ??= []).push(value);
  return record;
}

/** `first` as Helix reads it: 1..100, default 20; an error message otherwise. */
function parseFirst(raw: string | null): number | string {
  if (raw === null || raw === '') return 20;
  const value = Number(raw);
  if (!Number.isInteger(value))
    return 'The parameter "first" was malformed: the value must be an integer';
  if (value < 1)
    return 'The parameter "first" was malformed: the value must be greater than or equal to 1';
  if (value > 100)
    return 'The parameter "first" was malformed: the value must be less than or equal to 100';
  return value;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
