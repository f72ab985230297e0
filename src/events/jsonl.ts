// JSON Lines files of canonical events, plain or gzip (detected by content, not by name).
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { decodeEvent } from './decode.ts';
import type { StreamEvent } from './schema.ts';

export interface RejectedLine {
  line: number;
  reason: string;
}

/** Counts what a reader skipped, so callers can report it instead of losing it silently. */
export class RejectTally {
  count = 0;
  readonly samples: RejectedLine[] = [];
  private readonly onReject?: (rejected: RejectedLine) => void;
  private readonly maxSamples: number;

  constructor(onReject?: (rejected: RejectedLine) => void, maxSamples = 20) {
    this.onReject = onReject;
    this.maxSamples = maxSamples;
  }
  add(rejected: RejectedLine): void {
    this.count += 1;
    if (this.samples.length < this.maxSamples) this.samples.push(rejected);
    this.onReject?.(rejected);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === GZIP_MAGIC[0] && buffer[1] === GZIP_MAGIC[1];
  } finally {
    await handle.close();
  }
}

/** Opens a file as a text stream, gunzipping when the content is gzip. */
export async function openText(path: string): Promise<Readable> {
  const file = createReadStream(path);
  return (await isGzip(path)) ? file.pipe(createGunzip()) : file;
}

/**
 * Reads canonical events a chunk at a time; malformed lines go to `tally` and are skipped.
 * One batch per chunk of input, not one promise per line: at a million lines that matters.
 */
export async function* readEventBatches(
  input: Readable,
  tally: RejectTally = new RejectTally(),
): AsyncGenerator<StreamEvent[]> {
  input.setEncoding('utf8');
  let rest = '';
  let lineNumber = 0;
  for await (const chunk of input as AsyncIterable<string>) {
    const text = rest + chunk;
    const lastBreak = text.lastIndexOf('\n');
    if (lastBreak === -1) {
      rest = text;
      continue;
    }
    rest = text.slice(lastBreak + 1);
    const batch: StreamEvent[] = [];
    let start = 0;
    while (start <= lastBreak) {
      const end = text.indexOf('\n', start);
      lineNumber += 1;
      decodeLine(text.slice(start, end), lineNumber, batch, tally);
      start = end + 1;
    }
    if (batch.length > 0) yield batch;
  }
  const last: StreamEvent[] = [];
  if (rest !== '') decodeLine(rest, lineNumber + 1, last, tally);
  if (last.length > 0) yield last;
}

function decodeLine(
  line: string,
  lineNumber: number,
  into: StreamEvent[],
  tally: RejectTally,
): void {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (trimmed.trim() === '') return;
  const decoded = decodeEvent(trimmed);
  if (decoded.ok) into.push(decoded.event);
  else tally.add({ line: lineNumber, reason: decoded.reason });
}

/** Reads canonical events one at a time (see readEventBatches). */
export async function* readEvents(
  input: Readable,
  tally: RejectTally = new RejectTally(),
): AsyncGenerator<StreamEvent> {
  for await (const batch of readEventBatches(input, tally)) yield* batch;
}

export async function* readEventsFile(
  path: string,
  tally?: RejectTally,
): AsyncGenerator<StreamEvent> {
  yield* readEvents(await openText(path), tally);
}

/** Lines are gathered into chunks of about this size: one write per chunk, not per event. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Writes events one per line to a file (gzip when the path ends in `.gz`) or, for `-`, to
 * standard output. Honours backpressure.
 */
export class EventWriter {
  private readonly out: Writable;
  private readonly sink: Writable;
  private pending = '';

  constructor(path: string) {
    this.sink = path === '-' ? process.stdout : createWriteStream(path);
    if (path.endsWith('.gz')) {
      const gzip = createGzip();
      gzip.pipe(this.sink);
      this.out = gzip;
    } else {
      this.out = this.sink;
    }
  }

  async write(event: StreamEvent): Promise<void> {
    this.pending += JSON.stringify(event) + '\n';
    if (this.pending.length >= CHUNK_CHARS) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.sink === process.stdout) return;
    const finished = once(this.sink, 'close');
    this.out.end();
    await finished;
  }

  private async flush(): Promise<void> {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }
}
