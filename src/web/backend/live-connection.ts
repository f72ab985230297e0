// One WebSocket to /api/v1/live per page, re-opened with capped, jittered exponential backoff.
import type { LiveMessage } from './types.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

export interface LiveState {
  status: LiveStatus;
  /** Successful opens so far: a change after the first means the feed had a gap. */
  sessions: number;
}

/** The parts of the browser WebSocket this class uses, so tests can pass a fake. */
export type SocketLike = Pick<
  WebSocket,
  'onopen' | 'onmessage' | 'onclose' | 'close' | 'readyState'
>;

export interface LiveConnectionOptions {
  openSocket?: (url: string) => SocketLike;
  initialDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export function liveUrl(location: { protocol: string; host: string }): string {
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${protocol}//${location.host}/api/v1/live`;
}

/**
 * Doubles per failed attempt up to `maxMs`; the random half spreads the reconnects of many
 * dashboards after a server restart, the fixed half keeps a down server from being hammered.
 */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random: number) {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export function parseLiveMessage(data: unknown): LiveMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as Partial<LiveMessage> | null;
    if (message?.type === 'moment' && message.moment) return message as LiveMessage;
    if (message?.type === 'metrics' && Array.isArray(message.metrics))
      return message as LiveMessage;
    if (message?.type === 'hello') return message as LiveMessage;
  } catch {
    // A frame that is not JSON cannot be acted on; the next one may be.
  }
  return null;
}

export class LiveConnection {
  readonly #url: string;
  readonly #openSocket: (url: string) => SocketLike;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #random: () => number;
  readonly #messageListeners = new Set<(message: LiveMessage) => void>();
  readonly #stateListeners = new Set<() => void>();
  #state: LiveState = { status: 'connecting', sessions: 0 };
  #socket: SocketLike | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failedAttempts = 0;
  #stopped = true;

  constructor(url: string, options: LiveConnectionOptions = {}) {
    this.#url = url;
    this.#openSocket = options.openSocket ?? ((socketUrl) => new WebSocket(socketUrl));
    this.#initialDelayMs = options.initialDelayMs ?? 1_000;
    this.#maxDelayMs = options.maxDelayMs ?? 10_000;
    this.#random = options.random ?? Math.random;
  }

  get state(): LiveState {
    return this.#state;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#connect();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    const socket = this.#detachSocket();
    // Closing a socket that is still connecting makes the browser log a warning (React's
    // development double-mount does exactly that): let it open, then close it.
    if (socket?.readyState === WebSocket.CONNECTING) socket.onopen = () => socket.close();
    else socket?.close();
  }

  onMessage(listener: (message: LiveMessage) => void): () => void {
    this.#messageListeners.add(listener);
    return () => this.#messageListeners.delete(listener);
  }

  onStateChange(listener: () => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  #connect(): void {
    const socket = this.#openSocket(this.#url);
    this.#socket = socket;
    socket.onopen = () => {
      this.#failedAttempts = 0;
      this.#setState({ status: 'live', sessions: this.#state.sessions + 1 });
    };
    socket.onmessage = (event) => {
      const message = parseLiveMessage(event.data);
      if (message) for (const listener of this.#messageListeners) listener(message);
    };
    socket.onclose = () => {
      this.#detachSocket();
      if (!this.#stopped) this.#scheduleReconnect();
    };
  }

  #scheduleReconnect(): void {
    this.#setState({ status: 'reconnecting', sessions: this.#state.sessions });
    const delay = backoffDelay(
      this.#failedAttempts,
      this.#initialDelayMs,
      this.#maxDelayMs,
      this.#random(),
    );
    this.#failedAttempts += 1;
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #detachSocket(): SocketLike | null {
    const socket = this.#socket;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
    }
    this.#socket = null;
    return socket;
  }

  #setState(state: LiveState): void {
    this.#state = state;
    for (const listener of this.#stateListeners) listener();
  }
}
