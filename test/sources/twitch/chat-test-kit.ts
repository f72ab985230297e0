// Shared pieces of the chat (IRC) tests: time that moves only when told, and a publisher that
// keeps what it receives and wakes waiters on every batch (no polling, no sleeps).
import type { StreamEvent } from '../../../src/events/schema.ts';
import type { ChatTimers } from '../../../src/sources/twitch/chat-options.ts';
import { Waiters } from '../../support/fake-twitch/waiters.ts';
import { START } from './twitch-test-kit.ts';

/** A clock and timers on it: `advance` fires what falls due, in order. */
export class ManualTime implements ChatTimers {
  now = START;
  private nextHandle = 1;
  private readonly due = new Map<number, { at: number; callback: () => void }>();
  readonly clock = (): number => this.now;

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.due.set(handle, { at: this.now + ms, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.due.size;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const next = [...this.due].sort(([, a], [, b]) => a.at - b.at)[0];
      if (next === undefined || next[1].at > until) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].callback();
    }
    this.now = until;
  }
}

export class CollectingPublisher {
  readonly events: StreamEvent[] = [];
  readonly batches: number[] = [];
  private readonly waiters = new Waiters('chat publisher');

  publish(events: StreamEvent[]): void {
    this.events.push(...events);
    this.batches.push(events.length);
    this.waiters.notify();
  }

  waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
    return this.waiters.until(probe, what, timeoutMs);
  }

  /** The first event matching `match`, once it has been published. */
  next(match: (event: StreamEvent) => boolean, what: string): Promise<StreamEvent> {
    return this.waitFor(() => this.events.find(match), what);
  }
}
