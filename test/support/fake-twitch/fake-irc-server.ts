// A fake of Twitch's chat server (irc.chat.twitch.tv) over plain TCP on loopback, speaking
// Twitch's IRC dialect closely enough that the ircv3 IrcClient under Stream Scout's chat pool
// logs in (anonymously or with a token), joins and parses its lines. Tests drive it from the
// server side (sendPrivmsg, sendUsernotice, sendReconnect, dropConnections, ...) and inspect
// what clients did (clients, joins, received lines, join-limit violations).
//
// It listens on an ephemeral port by default (port 0), so test files run in parallel; a client
// is given the port (TWITCH_IRC_HOST=127.0.0.1:<port>).
import { Waiters } from './waiters.ts';
import { createServer, type Server, type Socket } from 'node:net';
import {
  buildClearchatLine,
  buildClearmsgLine,
  buildGlobalUserstateLine,
  buildPrivmsgLine,
  buildRoomstateLine,
  buildUsernoticeLine,
  buildUserstateLine,
  DEFAULT_ROOM_MODES,
  type FakeClearchat,
  type FakeClearmsg,
  type FakePrivmsg,
  type FakeUsernotice,
  type RoomModes,
} from './chat-lines.ts';
import { fakeUserId } from './fake-ids.ts';
import { parseIrcLine, SERVER_NAME, userPrefix, type IrcMessage } from './irc-protocol.ts';

export const TWITCH_CAPABILITIES = ['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership'];

export interface FakeIrcServerOptions {
  /** Default 127.0.0.1. Keep it on loopback. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** When a fixed port is busy, retry for this long before failing (EADDRINUSE). Default 0. */
  waitForPortMs?: number;
  /**
   * Valid user access tokens, without the `oauth:` prefix: token -> login (or login and user id).
   * Any other PASS for a non-justinfan nick fails with `Login authentication failed`.
   */
  tokens?: Readonly<Record<string, string | { login: string; userId?: string }>>;
  /**
   * Tokens known elsewhere: `startFakeTwitch` asks the fake OAuth server, so a user token it
   * issued or refreshed logs in to chat as on Twitch (while live, with `chat:read`).
   */
  userOfToken?: (token: string) => { login: string; userId: string } | undefined;
  /** Twitch: 20 join attempts per 10 s for a normal account. Counted per connection here. */
  joinRateLimit?: { joins: number; windowMs: number };
  /** How often the server PINGs each registered client. Twitch: about every 5 minutes. 0 disables. */
  pingIntervalMs?: number;
  /** A client that has not PONGed this long after a PING is disconnected. */
  pingTimeoutMs?: number;
  /** Source of `tmi-sent-ts` and of the join-limit window. Default Date.now. */
  clock?: () => number;
  /** channel name (without '#') -> room-id; other channels get fakeUserId(name). */
  roomIds?: Readonly<Record<string, string>>;
  /** How many of the lines sent to each client are kept for inspection. Default 1000. */
  sentLineLimit?: number;
}

export interface JoinRecord {
  channel: string;
  at: number;
}

export interface JoinViolation {
  clientId: number;
  channel: string;
  at: number;
}

export type DisconnectReason =
  | 'client-closed'
  | 'ping-timeout'
  | 'dropped'
  | 'auth-failed'
  | 'quit'
  | 'reconnect'
  | 'server-closed';

export interface DisconnectRecord {
  clientId: number;
  reason: DisconnectReason;
  at: number;
}

/** A snapshot of one connection, as tests see it. */
export interface FakeIrcClientInfo {
  id: number;
  /** The nick the server welcomed (the token's login for authenticated clients). */
  nick: string | undefined;
  anonymous: boolean;
  registered: boolean;
  connected: boolean;
  capabilities: string[];
  /** Channels currently joined, as `#name`. */
  channels: string[];
  /** Every accepted join, in order, with the server clock's time. */
  joins: JoinRecord[];
  /** Raw lines the client sent, in order. */
  received: string[];
  /** The last lines the server sent to it (see sentLineLimit). */
  sent: string[];
  connectedAt: number;
}

export interface DeliveryResult {
  line: string;
  /** The message id carried by the line, when it has one. */
  id?: string;
  /** How many connections it was written to. */
  delivered: number;
}

class Connection {
  id: number;
  socket: Socket;
  connectedAt: number;
  buffer = '';
  pass: string | undefined = undefined;
  nick: string | undefined = undefined;
  userId: string | undefined = undefined;
  anonymous = false;
  registered = false;
  connected = true;
  capabilities = new Set<string>();
  channels = new Set<string>();
  joins: JoinRecord[] = [];
  recentJoinTimes: number[] = [];
  received: string[] = [];
  sent: string[] = [];
  awaitingPong = false;
  frozen = false;
  pingTimer: NodeJS.Timeout | undefined = undefined;
  pongTimer: NodeJS.Timeout | undefined = undefined;
  disconnectReason: DisconnectReason | undefined = undefined;

  constructor(id: number, socket: Socket, connectedAt: number) {
    this.id = id;
    this.socket = socket;
    this.connectedAt = connectedAt;
  }
}

// Lines that only clients with the twitch.tv/commands capability receive.
const COMMANDS_CAP = 'twitch.tv/commands';
const TAGS_CAP = 'twitch.tv/tags';
const MEMBERSHIP_CAP = 'twitch.tv/membership';
const MAX_LINE_BUFFER = 64 * 1024;

export class FakeIrcServer {
  readonly host: string;
  private readonly server: Server;
  private readonly options: Required<
    Pick<FakeIrcServerOptions, 'pingIntervalMs' | 'pingTimeoutMs' | 'clock' | 'sentLineLimit'>
  > & { joinRateLimit: { joins: number; windowMs: number } };
  private readonly tokens = new Map<string, { login: string; userId: string }>();
  private readonly userOfToken: FakeIrcServerOptions['userOfToken'];
  private readonly roomIds = new Map<string, string>();
  private readonly roomModes = new Map<string, RoomModes>();
  private readonly suspended = new Set<string>();
  private readonly connections = new Map<number, Connection>();
  private readonly history: Connection[] = [];
  private readonly waiters = new Waiters('fake IRC server');
  private nextId = 1;
  private listeningPort = 0;

  /** Joins dropped by the join rate limit, in order. Twitch drops them silently; so does the fake. */
  readonly joinViolations: JoinViolation[] = [];
  /** Every closed connection and why. */
  readonly disconnects: DisconnectRecord[] = [];
  /** PRIVMSGs that clients tried to send (recorded, not relayed: the monitor only reads). */
  readonly clientMessages: { clientId: number; channel: string; text: string }[] = [];
  readonly stats = {
    connectionsAccepted: 0,
    linesReceived: 0,
    linesSent: 0,
    pingsSent: 0,
    pongsReceived: 0,
  };

  private constructor(options: FakeIrcServerOptions) {
    this.host = options.host ?? '127.0.0.1';
    this.options = {
      pingIntervalMs: options.pingIntervalMs ?? 300_000,
      pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
      clock: options.clock ?? Date.now,
      sentLineLimit: options.sentLineLimit ?? 1000,
      joinRateLimit: options.joinRateLimit ?? { joins: 20, windowMs: 10_000 },
    };
    for (const [token, who] of Object.entries(options.tokens ?? {})) this.addToken(token, who);
    this.userOfToken = options.userOfToken;
    for (const [channel, id] of Object.entries(options.roomIds ?? {})) {
      this.roomIds.set(normalizeChannel(channel), id);
    }
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(options: FakeIrcServerOptions = {}): Promise<FakeIrcServer> {
    const fake = new FakeIrcServer(options);
    await fake.listen(options.port ?? 0, options.waitForPortMs ?? 0);
    return fake;
  }

  get port(): number {
    return this.listeningPort;
  }

  // ---- configuration while running ----

  /** Accepts `oauth:<token>` as the given login from now on. */
  addToken(token: string, who: string | { login: string; userId?: string }): void {
    const login = (typeof who === 'string' ? who : who.login).toLowerCase();
    const userId = typeof who === 'string' ? undefined : who.userId;
    this.tokens.set(token.replace(/^oauth:/, ''), { login, userId: userId ?? fakeUserId(login) });
  }

  revokeToken(token: string): void {
    this.tokens.delete(token.replace(/^oauth:/, ''));
  }

  setRoomId(channel: string, roomId: string): void {
    this.roomIds.set(normalizeChannel(channel), roomId);
  }

  roomId(channel: string): string {
    const name = normalizeChannel(channel);
    return this.roomIds.get(name) ?? fakeUserId(name);
  }

  /** JOINs of this channel get Twitch's `msg_channel_suspended` NOTICE instead of the join. */
  suspendChannel(channel: string): void {
    this.suspended.add(normalizeChannel(channel));
  }

  // ---- observers ----

  /** Connections currently open. */
  get clients(): FakeIrcClientInfo[] {
    return [...this.connections.values()].map(snapshot);
  }

  /** Every connection since start, closed ones included. */
  get allClients(): FakeIrcClientInfo[] {
    return this.history.map(snapshot);
  }

  client(id: number): FakeIrcClientInfo | undefined {
    const connection = this.history.find((c) => c.id === id);
    return connection === undefined ? undefined : snapshot(connection);
  }

  /** Open, registered connections that joined the channel. */
  clientsIn(channel: string): FakeIrcClientInfo[] {
    const name = `#${normalizeChannel(channel)}`;
    return [...this.connections.values()]
      .filter((c) => c.registered && c.channels.has(name))
      .map(snapshot);
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Resolves as soon as `check()` holds, re-checking on every server event; rejects after timeoutMs. */
  async waitFor(check: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
    await this.waiters.until(() => (check() ? true : undefined), what, timeoutMs);
  }

  // ---- controls: what Twitch would send ----

  /** A chat message from `message.user` to everyone who joined the channel. */
  sendPrivmsg(channel: string, message: FakePrivmsg): DeliveryResult {
    const built = buildPrivmsgLine(channel, message, this.context(channel));
    return { ...built, delivered: this.deliverToChannel(channel, built.line, false) };
  }

  /** sub / resub / subgift / raid / any msg-id, to clients with the commands capability. */
  sendUsernotice(channel: string, notice: FakeUsernotice): DeliveryResult {
    const built = buildUsernoticeLine(channel, notice, this.context(channel));
    return { ...built, delivered: this.deliverToChannel(channel, built.line, true) };
  }

  /** A ban (user), a timeout (user + banDuration) or a full chat clear (no user). */
  sendClearchat(channel: string, clear: FakeClearchat = {}): DeliveryResult {
    const built = buildClearchatLine(channel, clear, this.context(channel));
    return { ...built, delivered: this.deliverToChannel(channel, built.line, true) };
  }

  sendClearmsg(channel: string, clear: FakeClearmsg): DeliveryResult {
    const built = buildClearmsgLine(channel, clear, this.context(channel));
    return { ...built, delivered: this.deliverToChannel(channel, built.line, true) };
  }

  /** Changes the room's modes and announces only the changed ones, as Twitch does; later JOINs get the full state. */
  sendRoomstate(channel: string, modes: Partial<RoomModes>): DeliveryResult {
    const name = normalizeChannel(channel);
    this.roomModes.set(name, { ...this.modesOf(name), ...modes });
    const built = buildRoomstateLine(channel, modes, { roomId: this.roomId(name) });
    return { ...built, delivered: this.deliverToChannel(channel, built.line, true) };
  }

  /** Another chatter joining or leaving: seen only by clients with the membership capability. */
  sendMembership(channel: string, user: string, action: 'JOIN' | 'PART'): DeliveryResult {
    const line = `:${userPrefix(user)} ${action} #${normalizeChannel(channel)}`;
    const name = `#${normalizeChannel(channel)}`;
    let delivered = 0;
    for (const connection of this.connections.values()) {
      if (!connection.registered || connection.frozen || !connection.channels.has(name)) continue;
      if (!connection.capabilities.has(MEMBERSHIP_CAP)) continue;
      this.write(connection, line);
      delivered += 1;
    }
    return { line, delivered };
  }

  /**
   * Writes a line verbatim (malformed ones included): to the channel's members when `channel`
   * is given, to one client with `clientId`, else to every registered client.
   */
  sendRaw(line: string, target: { channel?: string; clientId?: number } = {}): DeliveryResult {
    let delivered = 0;
    const name = target.channel === undefined ? undefined : `#${normalizeChannel(target.channel)}`;
    for (const connection of this.connections.values()) {
      if (connection.frozen) continue;
      if (target.clientId !== undefined && connection.id !== target.clientId) continue;
      if (target.clientId === undefined && !connection.registered) continue;
      if (name !== undefined && !connection.channels.has(name)) continue;
      this.writeRaw(connection, line);
      delivered += 1;
    }
    return { line, delivered };
  }

  /**
   * Twitch's `RECONNECT` to every registered client: the server is going down for maintenance.
   * With closeAfterMs, the server then closes those connections, as Twitch eventually does.
   */
  sendReconnect(options: { closeAfterMs?: number } = {}): DeliveryResult {
    const line = `:${SERVER_NAME} RECONNECT`;
    const targets = [...this.connections.values()].filter((c) => c.registered && !c.frozen);
    for (const connection of targets) this.write(connection, line);
    if (options.closeAfterMs !== undefined) {
      const timer = setTimeout(() => {
        for (const connection of targets) this.disconnect(connection, 'reconnect', false);
      }, options.closeAfterMs);
      timer.unref();
    }
    return { line, delivered: targets.length };
  }

  /** Destroys every open socket abruptly (no QUIT, no FIN handshake courtesy): a network failure. */
  dropConnections(): number {
    const open = [...this.connections.values()];
    for (const connection of open) this.disconnect(connection, 'dropped', true);
    return open.length;
  }

  /**
   * A half-open link: the sockets stay open but the server neither reads nor writes on them
   * any more (no PONG, no PING, no chat). Only the client's own liveness check can notice.
   */
  freezeConnections(): number {
    const open = [...this.connections.values()];
    for (const connection of open) connection.frozen = true;
    return open.length;
  }

  dropClient(clientId: number): boolean {
    const connection = this.connections.get(clientId);
    if (connection === undefined) return false;
    this.disconnect(connection, 'dropped', true);
    return true;
  }

  /** Sends the periodic PING now to every registered client that is not already awaiting one. */
  pingAll(): void {
    for (const connection of this.connections.values()) {
      if (connection.registered) this.ping(connection);
    }
  }

  async close(): Promise<void> {
    for (const connection of [...this.connections.values()]) {
      this.closeConnection(connection, 'server-closed', true);
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- connection handling ----

  private async listen(port: number, waitForPortMs: number): Promise<void> {
    const deadline = Date.now() + waitForPortMs;
    for (;;) {
      try {
        await new Promise<void>((resolve, reject) => {
          const onError = (error: Error): void => reject(error);
          this.server.once('error', onError);
          this.server.listen(port, this.host, () => {
            this.server.off('error', onError);
            resolve();
          });
        });
        break;
      } catch (error) {
        const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (!busy || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    const address = this.server.address();
    this.listeningPort = typeof address === 'object' && address !== null ? address.port : port;
  }

  private accept(socket: Socket): void {
    const connection = new Connection(this.nextId, socket, this.options.clock());
    this.nextId += 1;
    this.stats.connectionsAccepted += 1;
    this.connections.set(connection.id, connection);
    this.history.push(connection);
    socket.setEncoding('utf8');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => this.receive(connection, chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.disconnect(connection, 'client-closed', false));
    this.notify();
  }

  private receive(connection: Connection, chunk: string): void {
    connection.buffer += chunk;
    if (connection.buffer.length > MAX_LINE_BUFFER) {
      this.disconnect(connection, 'dropped', true);
      return;
    }
    let newline = connection.buffer.indexOf('\n');
    while (newline !== -1 && connection.connected) {
      const line = connection.buffer.slice(0, newline).replace(/\r$/, '');
      connection.buffer = connection.buffer.slice(newline + 1);
      if (line !== '') this.handleLine(connection, line);
      newline = connection.buffer.indexOf('\n');
    }
    this.notify();
  }

  private handleLine(connection: Connection, line: string): void {
    if (connection.frozen) return;
    connection.received.push(line);
    this.stats.linesReceived += 1;
    const message = parseIrcLine(line);
    if (message === undefined) return;
    switch (message.command) {
      case 'CAP':
        this.handleCap(connection, message);
        return;
      case 'PASS':
        if (!connection.registered) connection.pass = message.params[0];
        return;
      case 'NICK':
        if (!connection.registered) this.register(connection, message.params[0] ?? '');
        return;
      case 'USER':
        return;
      case 'PING':
        this.write(
          connection,
          `:${SERVER_NAME} PONG ${SERVER_NAME} :${message.params.at(-1) ?? SERVER_NAME}`,
        );
        return;
      case 'PONG':
        this.stats.pongsReceived += 1;
        connection.awaitingPong = false;
        clearTimeout(connection.pongTimer);
        return;
      case 'QUIT':
        this.disconnect(connection, 'quit', false);
        return;
    }
    if (!connection.registered) return;
    switch (message.command) {
      case 'JOIN':
        this.handleJoin(connection, message.params[0] ?? '');
        return;
      case 'PART':
        this.handlePart(connection, message.params[0] ?? '');
        return;
      case 'PRIVMSG':
        if (!connection.anonymous) {
          this.clientMessages.push({
            clientId: connection.id,
            channel: message.params[0] ?? '',
            text: message.params[1] ?? '',
          });
        }
        return;
      default:
        this.write(
          connection,
          `:${SERVER_NAME} 421 ${connection.nick ?? '*'} ${message.command} :Unknown command`,
        );
    }
  }

  private handleCap(connection: Connection, message: IrcMessage): void {
    const sub = (message.params[0] ?? '').toUpperCase();
    if (sub === 'LS') {
      this.write(connection, `:${SERVER_NAME} CAP * LS :${TWITCH_CAPABILITIES.join(' ')}`);
    } else if (sub === 'REQ') {
      const requested = (message.params[1] ?? '').trim();
      const names = requested.split(/ +/).filter((n) => n !== '');
      // Capability negotiation is all or nothing: one unknown name refuses the whole request.
      const known = names.length > 0 && names.every((n) => TWITCH_CAPABILITIES.includes(n));
      if (known) for (const name of names) connection.capabilities.add(name);
      this.write(connection, `:${SERVER_NAME} CAP * ${known ? 'ACK' : 'NAK'} :${requested}`);
    }
    // CAP END and CAP LIST: nothing to say. Twitch does not hold registration until CAP END.
  }

  private register(connection: Connection, requestedNick: string): void {
    const nick = requestedNick.toLowerCase();
    if (/^justinfan\d+$/.test(nick)) {
      // Anonymous, read-only: any PASS (or none) is accepted.
      connection.anonymous = true;
      connection.nick = nick;
    } else {
      const pass = connection.pass;
      if (pass === undefined || !pass.startsWith('oauth:')) {
        this.rejectLogin(connection, 'Improperly formatted auth');
        return;
      }
      const token = pass.slice('oauth:'.length);
      const who = this.tokens.get(token) ?? this.userOfToken?.(token);
      if (who === undefined) {
        this.rejectLogin(connection, 'Login authentication failed');
        return;
      }
      // Twitch names the client after the token's owner, whatever NICK said.
      connection.nick = who.login;
      connection.userId = who.userId;
    }
    connection.registered = true;
    const n = connection.nick;
    for (const [code, text] of [
      ['001', 'Welcome, GLHF!'],
      ['002', `Your host is ${SERVER_NAME}`],
      ['003', 'This server is rather new'],
      ['004', '-'],
      ['375', '-'],
      ['372', 'You are in a maze of twisty passages, all alike.'],
      ['376', '>'],
    ] as const) {
      this.write(connection, `:${SERVER_NAME} ${code} ${n} :${text}`);
    }
    if (!connection.anonymous && connection.capabilities.has(COMMANDS_CAP)) {
      this.write(connection, buildGlobalUserstateLine(n, connection.userId ?? '').line);
    }
    this.startPinging(connection);
  }

  private rejectLogin(connection: Connection, text: string): void {
    this.write(connection, `:${SERVER_NAME} NOTICE * :${text}`);
    this.disconnect(connection, 'auth-failed', false);
  }

  private handleJoin(connection: Connection, list: string): void {
    const nick = connection.nick ?? '';
    const { joins: limit, windowMs } = this.options.joinRateLimit;
    for (const item of list.split(',')) {
      const raw = item.trim().toLowerCase();
      if (!raw.startsWith('#') || raw.length < 2) continue;
      const now = this.options.clock();
      connection.recentJoinTimes = connection.recentJoinTimes.filter((t) => t > now - windowMs);
      if (connection.recentJoinTimes.length >= limit) {
        this.joinViolations.push({ clientId: connection.id, channel: raw, at: now });
        continue;
      }
      connection.recentJoinTimes.push(now);
      const name = raw.slice(1);
      if (this.suspended.has(name)) {
        this.write(
          connection,
          `@msg-id=msg_channel_suspended :${SERVER_NAME} NOTICE ${raw} :This channel does not exist or has been suspended.`,
        );
        continue;
      }
      connection.channels.add(raw);
      connection.joins.push({ channel: raw, at: now });
      this.write(connection, `:${userPrefix(nick)} JOIN ${raw}`);
      this.write(connection, `:${nick}.${SERVER_NAME} 353 ${nick} = ${raw} :${nick}`);
      this.write(connection, `:${nick}.${SERVER_NAME} 366 ${nick} ${raw} :End of /NAMES list`);
      if (connection.capabilities.has(COMMANDS_CAP)) {
        if (!connection.anonymous) this.write(connection, buildUserstateLine(raw, nick).line);
        const state = buildRoomstateLine(raw, this.modesOf(name), { roomId: this.roomId(name) });
        this.write(connection, state.line);
      }
    }
  }

  private handlePart(connection: Connection, list: string): void {
    for (const item of list.split(',')) {
      const raw = item.trim().toLowerCase();
      if (!connection.channels.delete(raw)) continue;
      this.write(connection, `:${userPrefix(connection.nick ?? '')} PART ${raw}`);
    }
  }

  private startPinging(connection: Connection): void {
    if (this.options.pingIntervalMs <= 0) return;
    connection.pingTimer = setInterval(() => this.ping(connection), this.options.pingIntervalMs);
    connection.pingTimer.unref();
  }

  private ping(connection: Connection): void {
    if (connection.awaitingPong || !connection.connected || connection.frozen) return;
    connection.awaitingPong = true;
    this.stats.pingsSent += 1;
    this.write(connection, `PING :${SERVER_NAME}`);
    connection.pongTimer = setTimeout(() => {
      if (connection.awaitingPong) this.disconnect(connection, 'ping-timeout', false);
    }, this.options.pingTimeoutMs);
    connection.pongTimer.unref();
  }

  // ---- output ----

  private context(channel: string): { roomId: string; now: number } {
    return { roomId: this.roomId(channel), now: this.options.clock() };
  }

  private modesOf(name: string): RoomModes {
    return this.roomModes.get(name) ?? { ...DEFAULT_ROOM_MODES };
  }

  private deliverToChannel(channel: string, line: string, needsCommands: boolean): number {
    const name = `#${normalizeChannel(channel)}`;
    let delivered = 0;
    for (const connection of this.connections.values()) {
      if (!connection.registered || connection.frozen || !connection.channels.has(name)) continue;
      if (needsCommands && !connection.capabilities.has(COMMANDS_CAP)) continue;
      this.write(connection, line);
      delivered += 1;
    }
    return delivered;
  }

  /** Writes a server line, removing its tags for a client that did not ask for twitch.tv/tags. */
  private write(connection: Connection, line: string): void {
    let out = line;
    if (out.startsWith('@') && !connection.capabilities.has(TAGS_CAP)) {
      const space = out.indexOf(' ');
      out = space === -1 ? '' : out.slice(space + 1);
    }
    this.writeRaw(connection, out);
  }

  private writeRaw(connection: Connection, line: string): void {
    if (!connection.connected || connection.frozen || !connection.socket.writable) return;
    connection.socket.write(`${line}\r\n`);
    connection.sent.push(line);
    if (connection.sent.length > this.options.sentLineLimit) connection.sent.shift();
    this.stats.linesSent += 1;
  }

  private disconnect(connection: Connection, reason: DisconnectReason, abrupt: boolean): void {
    this.closeConnection(connection, reason, abrupt);
    this.notify();
  }

  private closeConnection(connection: Connection, reason: DisconnectReason, abrupt: boolean): void {
    if (!connection.connected) return;
    connection.connected = false;
    connection.disconnectReason = reason;
    clearInterval(connection.pingTimer);
    clearTimeout(connection.pongTimer);
    this.connections.delete(connection.id);
    this.disconnects.push({ clientId: connection.id, reason, at: this.options.clock() });
    // Abrupt: a TCP reset, as when a load balancer or the network drops the link.
    if (abrupt) connection.socket.resetAndDestroy();
    else connection.socket.end();
  }

  private notify(): void {
    this.waiters.notify();
  }
}

function normalizeChannel(channel: string): string {
  return channel.replace(/^#/, '').toLowerCase();
}

function snapshot(connection: Connection): FakeIrcClientInfo {
  return {
    id: connection.id,
    nick: connection.nick,
    anonymous: connection.anonymous,
    registered: connection.registered,
    connected: connection.connected,
    capabilities: [...connection.capabilities],
    channels: [...connection.channels],
    joins: [...connection.joins],
    received: [...connection.received],
    sent: [...connection.sent],
    connectedAt: connection.connectedAt,
  };
}
