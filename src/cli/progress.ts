// A one-line progress bar for reading a big file on a terminal: how much of the file is read,
// redrawn at most ~10 times a second (redrawing per event would cost more than the work shown).
import { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Gunzip } from 'node:zlib';

/** Below this a file reads in a blink: a bar would only flash. */
export const PROGRESS_MIN_BYTES = 4 * 1024 * 1024;

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Only where a person watches: stderr is a terminal, and the file is big enough to wait for. */
export function wantsProgress(out: ProgressOutput, size: number): boolean {
  return out.isTTY === true && size >= PROGRESS_MIN_BYTES;
}

export interface ProgressBarOptions {
  /** Bytes to read in all. */
  total: number;
  out: ProgressOutput;
  now?: () => number;
  minIntervalMs?: number;
}

export class ProgressBar {
  private readonly total: number;
  private readonly out: ProgressOutput;
  private readonly now: () => number;
  private readonly minIntervalMs: number;
  private drawnAt = Number.NEGATIVE_INFINITY;
  private visible = false;

  constructor(options: ProgressBarOptions) {
    this.total = options.total;
    this.out = options.out;
    this.now = options.now ?? (() => performance.now());
    this.minIntervalMs = options.minIntervalMs ?? 100;
  }

  /** Redraws with `done` bytes read, unless the last drawing is too recent. */
  update(done: number): void {
    const now = this.now();
    if (now - this.drawnAt < this.minIntervalMs) return;
    this.drawnAt = now;
    this.visible = true;
    this.out.write(`\r${renderProgress(done, this.total, this.out.columns ?? 80)}${ERASE_TO_END}`);
  }

  /** Erases the bar, before other output on the terminal and at the end. */
  clear(): void {
    if (!this.visible) return;
    this.visible = false;
    this.out.write(`\r${ERASE_TO_END}`);
  }
}

const ERASE_TO_END = '\x1b[K';

/** `[██████░░░░░░]  42%  42.0 / 100.0 MB`, fitted to the terminal's width. */
export function renderProgress(done: number, total: number, columns: number): string {
  const fraction = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1;
  const figures = ` ${`${Math.floor(fraction * 100)}%`.padStart(4)}  ${megabytes(done)} / ${megabytes(total)} MB`;
  // One column spare: writing the last column makes some terminals wrap.
  const width = Math.max(Math.min(columns - figures.length - 3, 40), 10);
  const filled = Math.round(fraction * width);
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}]${figures}`;
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * Bytes of the file consumed so far by a stream from `openText`: the file stream itself, or the
 * gunzip in front of it (whose input is the compressed file), so progress is against file size.
 */
export function fileBytesRead(stream: Readable): (() => number) | null {
  if (stream instanceof ReadStream) return () => stream.bytesRead;
  if (stream instanceof Gunzip) return () => stream.bytesWritten;
  return null;
}

/** Passes `items` through, updating `bar` as the file is read; clears it when done. */
export async function* withProgress<T>(
  items: AsyncIterable<T>,
  bar: ProgressBar,
  bytesRead: () => number,
): AsyncGenerator<T> {
  try {
    for await (const item of items) {
      bar.update(bytesRead());
      yield item;
    }
  } finally {
    bar.clear();
  }
}
