// Hands a live source's events to the event log in arrival order, in batches, without ever
// making the source wait: chat keeps arriving on the socket whether or not the log can take it.
// A failed publish keeps its events and is tried again after a growing delay; only when the
// log stays unavailable so long that the buffer is full are the oldest events dropped, and then
// they are counted, never silently lost.
import type { StreamEvent } from '../events/schema.ts';
import { silentLogger, type Logger } from '../ops/logger.ts';

/** Where a source's events go. `EventPublisher` fits. */
export interface EventSink {
  publish(events: StreamEvent[]): Promise<unknown> | unknown;
}

export interface PublishQueueOptions {
  sink: EventSink;
  /** Events kept while the sink fails. Default 200 000 (a few minutes of a busy pool). */
  capacity?: number;
  /** Delay before the n-th retry in a row (n from 1). Default 500 ms doubling, at most 30 s. */
  retryDelayMs?: (attempt: number) => number;
  /** Called with how many of the oldest events were dropped because the buffer was full. */
  onDropped?: (count: number) => void;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  logger?: Logger;
}

const DEFAULT_CAPACITY = 200_000;

function defaultRetryDelayMs(attempt: number): number {
  return Math.min(30_000, 500 * 2 ** (attempt - 1));
}

export class PublishQueue {
  private readonly sink: EventSink;
  private readonly capacity: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly onDropped: (count: number) => void;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly logger: Logger;
  private buffered: StreamEvent[] = [];
  private flushScheduled = false;
  private inFlight: Promise<void> | undefined;
  private retryTimer: unknown;
  private failures = 0;
  private draining = false;

  constructor(options: PublishQueueOptions) {
    this.sink = options.sink;
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelayMs;
    this.onDropped = options.onDropped ?? (() => {});
    this.setTimer = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
    this.clearTimer = options.clearTimeout ?? ((handle) => clearTimeout(handle as NodeJS.Timeout));
    this.logger = options.logger ?? silentLogger;
  }

  /** Events waiting for the sink (not yet accepted by it). */
  get pending(): number {
    return this.buffered.length;
  }

  /** Queues an event; everything pushed in one turn of the event loop goes out as one batch. */
  push(event: StreamEvent): void {
    this.buffered.push(event);
    if (this.buffered.length > this.capacity) this.drop(this.buffered.length - this.capacity);
    if (this.flushScheduled || this.retryTimer !== undefined) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /**
   * Publishes what is buffered now, once, without waiting for a retry delay: for stopping.
   * Resolves when the sink has taken it or refused it (then the refusal is logged).
   */
  async drain(): Promise<void> {
    this.draining = true;
    this.clearTimer(this.retryTimer);
    this.retryTimer = undefined;
    await this.inFlight;
    await this.flush();
    if (this.buffered.length > 0) {
      this.logger.error({ events: this.buffered.length }, 'stopped with events the log refused');
    }
  }

  /** One publish at a time, so batches reach the log in the order they were read. */
  private flush(): Promise<void> {
    this.inFlight ??= this.publishBuffered().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async publishBuffered(): Promise<void> {
    while (this.buffered.length > 0) {
      const batch = this.buffered;
      this.buffered = [];
      try {
        await this.sink.publish(batch);
        this.failures = 0;
      } catch (error) {
        // Put back in front of what arrived meanwhile, then try again later.
        this.buffered = batch.concat(this.buffered);
        const excess = this.buffered.length - this.capacity;
        if (excess > 0) this.drop(excess);
        this.failures += 1;
        if (!this.draining) this.scheduleRetry(error);
        return;
      }
    }
  }

  private scheduleRetry(error: unknown): void {
    const delayMs = this.retryDelayMs(this.failures);
    this.logger.error(
      { err: error, events: this.buffered.length, retryInMs: delayMs },
      'publishing events failed; keeping them and retrying',
    );
    this.retryTimer = this.setTimer(() => {
      this.retryTimer = undefined;
      void this.flush();
    }, delayMs);
  }

  private drop(count: number): void {
    this.buffered.splice(0, count);
    this.onDropped(count);
  }
}
