import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  LiveConnection,
  liveUrl,
  type SocketLike,
} from '../../src/web/backend/live-connection.ts';
import type { LiveMessage } from '../../src/web/backend/types.ts';

class FakeSocket implements SocketLike {
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  readyState: SocketLike['readyState'] = WebSocket.CONNECTING;
  closed = false;

  close(): void {
    this.closed = true;
  }

  open(): void {
    this.readyState = WebSocket.OPEN;
    this.onopen?.call(this as never, new Event('open'));
  }

  receive(data: string): void {
    this.onmessage?.call(this as never, new MessageEvent('message', { data }));
  }

  drop(): void {
    this.onclose?.call(this as never, new CloseEvent('close'));
  }
}

describe('live connection', () => {
  let sockets: FakeSocket[];
  let connection: LiveConnection;
  const latest = () => sockets.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    connection = new LiveConnection('ws://test/api/v1/live', {
      openSocket: () => {
        sockets.push(new FakeSocket());
        return latest();
      },
      initialDelayMs: 1_000,
      maxDelayMs: 8_000,
      random: () => 1,
    });
  });

  afterEach(() => {
    connection.stop();
    vi.useRealTimers();
  });

  it('derives the socket URL from the page', () => {
    expect(liveUrl({ protocol: 'https:', host: 'scout.example' })).toBe(
      'wss://scout.example/api/v1/live',
    );
    expect(liveUrl({ protocol: 'http:', host: 'localhost:5000' })).toBe(
      'ws://localhost:5000/api/v1/live',
    );
  });

  it('delivers parsed messages and skips frames it cannot read', () => {
    const received: LiveMessage[] = [];
    connection.onMessage((message) => received.push(message));
    connection.start();
    latest().open();
    latest().receive('{"type":"hello"}');
    latest().receive('not json');
    latest().receive('{"type":"metrics","metrics":[]}');
    latest().receive('{"type":"unknown"}');
    expect(received).toEqual([{ type: 'hello' }, { type: 'metrics', metrics: [] }]);
    expect(connection.state).toEqual({ status: 'live', sessions: 1 });
  });

  it('reconnects with growing delays and counts the new session', () => {
    connection.start();
    latest().drop();
    expect(connection.state.status).toBe('reconnecting');
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    latest().drop();
    vi.advanceTimersByTime(1_999);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    latest().open();
    expect(connection.state).toEqual({ status: 'live', sessions: 1 });
    latest().drop();
    vi.advanceTimersByTime(1_000);
    latest().open();
    expect(connection.state).toEqual({ status: 'live', sessions: 2 });
  });

  it('stops for good when asked', () => {
    connection.start();
    latest().open();
    connection.stop();
    expect(latest().closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('closes a socket stopped while connecting as soon as it opens', () => {
    const states: string[] = [];
    connection.onStateChange(() => states.push(connection.state.status));
    connection.start();
    connection.stop();
    expect(latest().closed).toBe(false);
    latest().open();
    expect(latest().closed).toBe(true);
    expect(states).toEqual([]);
  });

  it('caps the delay and keeps at least half of it', () => {
    expect(backoffDelay(0, 1_000, 8_000, 0)).toBe(500);
    expect(backoffDelay(10, 1_000, 8_000, 1)).toBe(8_000);
    expect(backoffDelay(10, 1_000, 8_000, 0)).toBe(4_000);
  });
});
