// A bare IRC client over node:net for tests: sends lines as written, records every line the
// server sends, and waits for lines by predicate (event-driven, no polling or sleeps).
import { connect, type Socket } from 'node:net';
import { parseIrcLine, type IrcMessage } from './irc-protocol.ts';
import { Waiters } from './waiters.ts';

export class RawIrcClient {
  /** Every line received, in order, without CR LF. */
  readonly lines: string[] = [];
  /** Answer the server's PINGs automatically. */
  autoPong = false;
  private readonly socket: Socket;
  private buffer = '';
  private isClosed = false;
  private readonly waiters = new Waiters('raw IRC client');

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.isClosed = true;
      this.notify();
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawIrcClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new RawIrcClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Connects and registers; resolves after the end of the MOTD (376). */
  static async login(
    port: number,
    options: { nick?: string; pass?: string; caps?: string[] } = {},
  ): Promise<RawIrcClient> {
    const client = await RawIrcClient.connect(port);
    const caps = options.caps ?? ['twitch.tv/tags', 'twitch.tv/commands', 'twitch.tv/membership'];
    if (caps.length > 0) {
      client.send(`CAP REQ :${caps.join(' ')}`);
      await client.waitFor((m) => m.command === 'CAP', 'CAP reply');
    }
    if (options.pass !== undefined) client.send(`PASS ${options.pass}`);
    client.send(`NICK ${options.nick ?? 'justinfan12345'}`);
    await client.waitFor((m) => m.command === '376', 'end of MOTD');
    return client;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Parsed received lines. */
  get messages(): IrcMessage[] {
    return this.lines.map(parseIrcLine).filter((m) => m !== undefined);
  }

  send(line: string): void {
    this.socket.write(`${line}\r\n`);
  }

  /** The index to pass as `from` so that waitFor only looks at lines received after now. */
  mark(): number {
    return this.lines.length;
  }

  /** The first line from index `from` on matching the predicate, waiting for it if needed. */
  waitFor(
    predicate: (message: IrcMessage) => boolean,
    what = 'line',
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<IrcMessage> {
    const from = options.from ?? 0;
    const timeoutMs = options.timeoutMs ?? 3000;
    const find = (): IrcMessage | undefined => {
      for (let i = from; i < this.lines.length; i += 1) {
        const message = parseIrcLine(this.lines[i] ?? '');
        if (message !== undefined && predicate(message)) return message;
      }
      return undefined;
    };
    const closed = (): string | undefined => (this.isClosed ? 'connection closed' : undefined);
    return this.waiters.until(find, what, timeoutMs, closed);
  }

  /** Waits until `count` lines from index `from` on match; returns them all. */
  async waitForCount(
    predicate: (message: IrcMessage) => boolean,
    count: number,
    what = 'lines',
    options: { from?: number; timeoutMs?: number } = {},
  ): Promise<IrcMessage[]> {
    const matches = (): IrcMessage[] =>
      this.lines
        .slice(options.from ?? 0)
        .map(parseIrcLine)
        .filter((m): m is IrcMessage => m !== undefined && predicate(m));
    await this.waitUntil(() => matches().length >= count, `${count} ${what}`, options.timeoutMs);
    return matches();
  }

  /** Resolves when `check()` holds, re-checking whenever a line arrives or the connection closes. */
  async waitUntil(check: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
    await this.waiters.until(() => (check() ? true : undefined), what, timeoutMs);
  }

  waitForClose(timeoutMs = 3000): Promise<void> {
    return this.waitUntil(() => this.isClosed, 'the connection to close', timeoutMs);
  }

  close(): void {
    this.socket.destroy();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let newline = this.buffer.indexOf('\n');
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline).replace(/\r$/, '');
      this.buffer = this.buffer.slice(newline + 1);
      this.lines.push(line);
      if (this.autoPong && line.startsWith('PING')) this.send(`PONG${line.slice(4)}`);
      newline = this.buffer.indexOf('\n');
    }
    this.notify();
  }

  private notify(): void {
    this.waiters.notify();
  }
}
