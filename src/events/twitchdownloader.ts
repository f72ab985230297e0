// TwitchDownloader chat exports (the JSON that TwitchDownloader writes for a past VOD), plain or
// gzip: one object `{ FileInfo?, streamer, video, comments: [...], embeddedData? }`, often 100+ MB.
// Read as a stream: the `comments` array is cut into its elements and each one is parsed on its
// own, so memory holds a few chunks and the reorder window, never the whole file; `embeddedData`
// (base64 images, sometimes most of the file) is skipped without being kept.
import type { Readable } from 'node:stream';
import { validateEvent } from './decode.ts';
import { RejectTally, openText } from './jsonl.ts';
import { SCHEMA_VERSION, type ChatMessage, type Emote, type StreamEventInput } from './schema.ts';

/** The input is not a TwitchDownloader chat export, or one too broken to place any comment. */
export class NotAnExportError extends Error {
  override name = 'NotAnExportError';
}

export interface TwitchDownloaderReadOptions {
  /** Malformed comments: `line` is the comment's 1-based position in `comments`. */
  tally?: RejectTally;
  /** Things a person should know about how the export was read (e.g. a guessed stream start). */
  onNote?: (note: string) => void;
}

/**
 * Stream time over which out-of-order comments are put back in order. Exports are sorted by
 * TwitchDownloader; this only repairs local disorder (hand-merged files) at a memory cost of
 * this much chat.
 */
export const REORDER_WINDOW_MS = 5 * 60_000;

/** True when `head` (the first bytes of a file) opens like a TwitchDownloader export. */
export function looksLikeTwitchDownloaderExport(head: string): boolean {
  return /^\uFEFF?\s*\{\s*"(?:FileInfo|streamer)"\s*:/.test(head);
}

export async function* readTwitchDownloaderFile(
  path: string,
  options?: TwitchDownloaderReadOptions,
): AsyncGenerator<ChatMessage> {
  yield* readTwitchDownloaderEvents(await openText(path), options);
}

/** Reads an export as canonical chat events in time order; malformed comments go to the tally. */
export async function* readTwitchDownloaderEvents(
  input: Readable,
  options: TwitchDownloaderReadOptions = {},
): AsyncGenerator<ChatMessage> {
  const tally = options.tally ?? new RejectTally();
  const scanner = new ExportScanner();
  const header = new ExportHeader(options.onNote);
  const order = new TimeOrder(REORDER_WINDOW_MS);
  // Comments met before `streamer` wait for it: no known exporter writes that order, but a
  // hand-edited file might.
  const waiting: CommentText[] = [];

  // Released after every comment, not every chunk, so what the window can still place does
  // not depend on where the chunks happen to end.
  function* place(comment: CommentText): Generator<ChatMessage> {
    const placed = placeComment(comment, header, order);
    if (placed !== true) tally.add({ line: comment.index + 1, reason: placed });
    yield* order.release();
  }

  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    for (const part of scanner.push(chunk)) {
      if (part.kind === 'comment') {
        if (header.hasStreamer()) yield* place(part);
        else waiting.push(part);
      } else {
        header.set(part.key, part.value);
        if (header.hasStreamer()) for (const comment of waiting.splice(0)) yield* place(comment);
      }
    }
    if (scanner.finished) break;
  }
  const truncated = scanner.end();
  header.requireStreamer();
  if (truncated) tally.add(truncated);
  yield* order.drain();
}

// ---------------------------------------------------------------------------------------------
// From comment to canonical chat event

interface CommentText {
  /** 0-based position in `comments`. */
  index: number;
  json: string;
}

type Loose = Record<string, unknown>;

/** Maps, validates and queues one comment; returns `true` or why it was skipped. */
function placeComment(comment: CommentText, header: ExportHeader, order: TimeOrder): true | string {
  const where = `comments[${comment.index}]`;
  let raw: unknown;
  try {
    raw = JSON.parse(comment.json);
  } catch (error) {
    return `${where}: invalid JSON: ${(error as Error).message}`;
  }
  const fields = asLoose(raw);
  const decoded = validateEvent(toChatEvent(fields, header.stream(fields)));
  if (!decoded.ok) return `${where}.${inExportTerms(decoded.reason)}`;
  if (!order.add(decoded.event as ChatMessage)) {
    return `${where}.content_offset_seconds: more than ${REORDER_WINDOW_MS / 60_000} min earlier than comments before it (export not sorted by time)`;
  }
  return true;
}

interface StreamInfo {
  channelId: string;
  channel: string;
  startMs: number;
}

/**
 * The canonical event before validation: fields that are absent or of the wrong type pass
 * through as they are, so the schema names what is wrong.
 */
function toChatEvent(comment: Loose, stream: StreamInfo): StreamEventInput {
  const commenter = asLoose(comment.commenter);
  const message = asLoose(comment.message);
  const body = message.body;
  const badges = badgesOf(message.user_badges);
  return {
    v: SCHEMA_VERSION,
    type: 'chat',
    id: comment._id as string,
    channel_id: stream.channelId,
    channel: stream.channel,
    ts: timeOf(stream.startMs, comment.content_offset_seconds),
    user_id: (idOf(commenter._id) ?? commenter._id) as string,
    user: commenter.name as string,
    ...(commenter.display_name != null && { display_name: commenter.display_name as string }),
    text: body as string,
    emotes: typeof body === 'string' ? emotesOf(body, message.fragments) : [],
    badges,
    ...(message.bits_spent != null && { bits: message.bits_spent as number }),
    sub: 'subscriber' in badges || 'founder' in badges,
    mod: 'moderator' in badges,
    vip: 'vip' in badges,
  };
}

/** An offset that is not a number passes through as it is, for the schema to name it. */
function timeOf(startMs: number, offsetSeconds: unknown): number {
  return typeof offsetSeconds === 'number'
    ? Math.round(startMs + offsetSeconds * 1000)
    : (offsetSeconds as number);
}

/**
 * Emotes from the message's fragments, positioned in the body by walking it fragment by fragment
 * (the body is the fragments joined). The export's own `emoticons[].begin/end` are not used: they
 * count differently across exporter versions.
 */
function emotesOf(body: string, fragments: unknown): Emote[] {
  if (!Array.isArray(fragments)) return [];
  const emotes: Emote[] = [];
  let cursor = 0;
  for (const fragment of fragments as unknown[]) {
    const { text, emoticon } = asLoose(fragment);
    if (typeof text !== 'string' || text === '') continue;
    const start = body.startsWith(text, cursor) ? cursor : body.indexOf(text, cursor);
    // A fragment the body does not contain has no position to give; the rest may still match.
    if (start === -1) continue;
    cursor = start + text.length;
    const id = idOf(asLoose(emoticon).emoticon_id);
    if (id !== undefined) emotes.push({ id, name: text, start, end: cursor - 1 });
  }
  return emotes;
}

function badgesOf(userBadges: unknown): Record<string, string> {
  const badges: Record<string, string> = {};
  if (!Array.isArray(userBadges)) return badges;
  for (const badge of userBadges as unknown[]) {
    const { _id: name, version } = asLoose(badge);
    if (typeof name === 'string' && name !== '') badges[name] = String(version ?? '');
  }
  return badges;
}

/** Canonical field names, as `validateEvent` reports them, in the export's terms. */
const EXPORT_FIELD: Record<string, string> = {
  id: '_id',
  ts: 'content_offset_seconds',
  user_id: 'commenter._id',
  user: 'commenter.name',
  display_name: 'commenter.display_name',
  text: 'message.body',
  emotes: 'message.fragments',
  badges: 'message.user_badges',
  bits: 'message.bits_spent',
  channel_id: 'streamer.id',
  channel: 'streamer.name',
};

/** `user_id: expected string` becomes `commenter._id: expected string`. */
function inExportTerms(reason: string): string {
  const colon = reason.indexOf(': ');
  if (colon === -1) return reason;
  const field = reason.slice(0, colon);
  const exportField = EXPORT_FIELD[field.split('.')[0]!];
  return exportField === undefined ? reason : `${exportField}${reason.slice(colon)}`;
}

// ---------------------------------------------------------------------------------------------
// The export's header: which channel, and when the stream started

class ExportHeader {
  private streamer: Loose | null = null;
  private video: Loose | null = null;
  private resolved: StreamInfo | null = null;
  private readonly onNote?: (note: string) => void;

  constructor(onNote?: (note: string) => void) {
    this.onNote = onNote;
  }

  set(key: string, value: unknown): void {
    if (key === 'streamer') this.streamer = asLoose(value);
    else if (key === 'video') this.video = asLoose(value);
  }

  hasStreamer(): boolean {
    return this.streamer !== null;
  }

  requireStreamer(): void {
    if (this.streamer === null) throw new NotAnExportError('it has no "streamer" object');
  }

  /**
   * Channel and stream start, fixed when the first comment asks: `video.created_at` when `video`
   * came before the comments (as TwitchDownloader writes it), else that comment stands in for it.
   */
  stream(comment: Loose): StreamInfo {
    this.resolved ??= {
      ...this.channel(),
      startMs: this.videoStart() ?? this.startFromComment(comment),
    };
    return this.resolved;
  }

  private channel(): { channelId: string; channel: string } {
    const { id, name } = this.streamer ?? {};
    const channelId = idOf(id);
    if (channelId === undefined)
      throw new NotAnExportError('streamer.id is missing or not a string or number');
    if (typeof name !== 'string' || name === '' || name.length > 64)
      throw new NotAnExportError('streamer.name is missing or not a channel name');
    // TwitchDownloader writes the display name here. An ASCII display name differs from the
    // login only in case; a localised one (e.g. Korean) has no login in the export at all.
    return { channelId, channel: /^\w+$/.test(name) ? name.toLowerCase() : name };
  }

  private videoStart(): number | null {
    return parseTime(this.video?.created_at);
  }

  /** Very old exports have no `video.created_at`: the comment's send time less its offset. */
  private startFromComment(comment: Loose): number {
    const sent = parseTime(comment.created_at);
    const offset = comment.content_offset_seconds;
    if (sent === null || typeof offset !== 'number')
      throw new NotAnExportError(
        'no video.created_at before the comments, and the first comment has no created_at and content_offset_seconds to stand in for it',
      );
    const startMs = Math.round(sent - offset * 1000);
    this.onNote?.(
      `no video.created_at before the comments: stream start taken as ${new Date(startMs).toISOString()} (first comment's created_at minus its offset)`,
    );
    return startMs;
  }
}

/** .NET writes UTC times without a zone when their kind is unspecified: read those as UTC. */
function parseTime(value: unknown): number | null {
  if (typeof value !== 'string' || value === '') return null;
  const hasZone = /(?:Z|[+-]\d\d:?\d\d)$/i.test(value);
  const ms = Date.parse(hasZone ? value : `${value}Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Twitch ids are strings; old exports write numeric ones as numbers. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function asLoose(value: unknown): Loose {
  return typeof value === 'object' && value !== null ? (value as Loose) : {};
}

// ---------------------------------------------------------------------------------------------
// Time order

/**
 * Holds events until they are `windowMs` older than the newest one, then releases them sorted
 * by time; equal times keep file order. Sorted input passes straight through at O(1) per event.
 */
class TimeOrder {
  private readonly windowMs: number;
  private readonly held: ChatMessage[] = [];
  private head = 0;
  private newestTs = Number.NEGATIVE_INFINITY;
  private releasedTs = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** False when the event is earlier than one already released: it can no longer be placed. */
  add(event: ChatMessage): boolean {
    if (event.ts < this.releasedTs) return false;
    const last = this.held[this.held.length - 1];
    if (this.head === this.held.length || last!.ts <= event.ts) this.held.push(event);
    else this.held.splice(this.firstLaterThan(event.ts), 0, event);
    this.newestTs = Math.max(this.newestTs, event.ts);
    return true;
  }

  *release(): Generator<ChatMessage> {
    yield* this.releaseThrough(this.newestTs - this.windowMs);
  }

  *drain(): Generator<ChatMessage> {
    yield* this.releaseThrough(Number.POSITIVE_INFINITY);
  }

  private *releaseThrough(ts: number): Generator<ChatMessage> {
    while (this.head < this.held.length && this.held[this.head]!.ts <= ts) {
      const event = this.held[this.head]!;
      this.head += 1;
      this.releasedTs = event.ts;
      yield event;
    }
    // Drop released events from the front now and then, not on every release.
    if (this.head > 4096 && this.head * 2 > this.held.length) {
      this.held.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Index of the first held event later than `ts` (binary search: after equal times). */
  private firstLaterThan(ts: number): number {
    let low = this.head;
    let high = this.held.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.held[middle]!.ts <= ts) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

// ---------------------------------------------------------------------------------------------
// Cutting the export's text into its parts

type ExportPart =
  { kind: 'member'; key: string; value: unknown } | ({ kind: 'comment' } & CommentText);

/** Top-level members whose values are needed; the rest are skipped without being kept. */
const KEPT_MEMBERS = new Set(['streamer', 'video']);

type ScanState =
  | 'object'
  | 'key'
  | 'colon'
  | 'value'
  | 'in-value'
  | 'after-value'
  | 'comments'
  | 'in-comment'
  | 'done';

/**
 * Splits the export's top-level object into parts as text arrives in chunks of any size: the
 * kept members parsed whole, `comments` one element at a time as raw JSON. It follows the
 * structure (nesting, strings) and leaves the grammar inside each value to `JSON.parse`.
 */
class ExportScanner {
  private state: ScanState = 'object';
  /** Input not yet consumed: at most a key or some whitespace between chunks. */
  private pending = '';
  private key = '';
  private value: ValueScan | null = null;
  private comments = 0;
  private sawComments = false;

  get finished(): boolean {
    return this.state === 'done';
  }

  push(chunk: string): ExportPart[] {
    const text = this.pending + chunk;
    const parts: ExportPart[] = [];
    let at = 0;
    while (at < text.length) {
      const next = this.step(text, at, parts);
      if (next === -1) break;
      at = next;
    }
    this.pending = text.slice(at);
    return parts;
  }

  /** At end of input: a cut-off comments array is a rejected remainder, anything else fatal. */
  end(): { line: number; reason: string } | null {
    if (this.state === 'done') {
      if (!this.sawComments) throw new NotAnExportError('it has no "comments" array');
      return null;
    }
    if (this.state === 'comments' || this.state === 'in-comment') {
      return {
        line: this.comments + 1,
        reason: `comments[${this.comments}]: the file ends inside the comments (truncated export?)`,
      };
    }
    throw new NotAnExportError(
      this.state === 'object' ? 'the input is empty' : 'the file ends before the export does',
    );
  }

  /** Consumes from `at`; returns where to go on, or -1 to wait for more input. */
  private step(text: string, at: number, parts: ExportPart[]): number {
    const char = text[at]!;
    if (this.state === 'in-value') return this.continueValue(text, at, parts);
    if (this.state === 'in-comment') return this.continueComment(text, at, parts);
    if (isWhitespace(char)) return at + 1;
    switch (this.state) {
      case 'object':
        if (char === '{') return this.goTo('key', at + 1);
        throw new NotAnExportError(`it does not start with a JSON object (found ${quote(char)})`);
      case 'key':
        return this.readKey(text, at);
      case 'colon':
        if (char === ':') return this.goTo('value', at + 1);
        throw new NotAnExportError(`expected ":" after "${this.key}", found ${quote(char)}`);
      case 'value':
        return this.startValue(char, at);
      case 'after-value':
        if (char === ',') return this.goTo('key', at + 1);
        if (char === '}') return this.goTo('done', at + 1);
        throw new NotAnExportError(`expected "," or "}" after "${this.key}", found ${quote(char)}`);
      case 'comments':
        return this.betweenComments(char, at);
      case 'done':
        // What follows the export's object (JSON Lines' next line, say) is not read.
        return text.length;
    }
  }

  private goTo(state: ScanState, at: number): number {
    this.state = state;
    return at;
  }

  private readKey(text: string, at: number): number {
    // A trailing comma before `}` is tolerated, as TwitchDownloader's own reader does.
    if (text[at] === '}') return this.goTo('done', at + 1);
    if (text[at] !== '"')
      throw new NotAnExportError(`expected a member name, found ${quote(text[at]!)}`);
    const close = stringEnd(text, at + 1);
    if (close !== -1) {
      this.key = parseJson('a member name', text.slice(at, close + 1)) as string;
      return this.goTo('colon', close + 1);
    }
    // Only garbage has names this long; waiting for their end would rescan them every chunk.
    if (text.length - at > MAX_KEY_CHARS)
      throw new NotAnExportError(`a member name runs past ${MAX_KEY_CHARS} characters`);
    return -1;
  }

  private startValue(char: string, at: number): number {
    if (this.key === 'comments') {
      if (char !== '[') throw new NotAnExportError('"comments" is not an array');
      this.sawComments = true;
      return this.goTo('comments', at + 1);
    }
    this.value = new ValueScan(KEPT_MEMBERS.has(this.key));
    return this.goTo('in-value', at);
  }

  private continueValue(text: string, at: number, parts: ExportPart[]): number {
    const end = this.value!.scan(text, at);
    if (end === -1) return text.length;
    const json = this.value!.text();
    this.value = null;
    if (json !== null)
      parts.push({ kind: 'member', key: this.key, value: parseJson(`"${this.key}"`, json) });
    return this.goTo('after-value', end);
  }

  private betweenComments(char: string, at: number): number {
    if (char === ']') return this.goTo('after-value', at + 1);
    if (char === ',') return at + 1;
    this.value = new ValueScan(true);
    return this.goTo('in-comment', at);
  }

  private continueComment(text: string, at: number, parts: ExportPart[]): number {
    const end = this.value!.scan(text, at);
    if (end === -1) return text.length;
    parts.push({ kind: 'comment', index: this.comments, json: this.value!.text()! });
    this.comments += 1;
    this.value = null;
    return this.goTo('comments', end);
  }
}

const MAX_KEY_CHARS = 1024;

function parseJson(what: string, json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (error) {
    throw new NotAnExportError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Finds where one JSON value ends, across chunks. A container ends at its matching bracket, a
 * string at its closing quote, a number or literal at the `,`, `}` or `]` after it.
 */
class ValueScan {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The value's text so far, or null when it is skipped. */
  private readonly parts: string[] | null;

  constructor(keep: boolean) {
    this.parts = keep ? [] : null;
  }

  /** Index just past the value in `text`, or -1 when it goes on in the next chunk. */
  scan(text: string, from: number): number {
    const end = this.findEnd(text, from);
    this.parts?.push(text.slice(from, end === -1 ? text.length : end));
    return end;
  }

  text(): string | null {
    return this.parts && this.parts.join('');
  }

  private findEnd(text: string, from: number): number {
    for (let at = from; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (code === BACKSLASH) this.escaped = true;
        else if (code === QUOTE) {
          this.inString = false;
          if (this.depth === 0) return at + 1;
        }
      } else if (code === QUOTE) {
        this.inString = true;
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.depth += 1;
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        if (this.depth === 0) return at;
        this.depth -= 1;
        if (this.depth === 0) return at + 1;
      } else if (code === COMMA && this.depth === 0) {
        return at;
      }
    }
    return -1;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Index of the quote closing the string whose content starts at `from`, or -1. */
function stringEnd(text: string, from: number): number {
  for (let at = from; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code === BACKSLASH) at += 1;
    else if (code === QUOTE) return at;
  }
  return -1;
}

function isWhitespace(char: string): boolean {
  return char === ' ' || char === '\n' || char === '\r' || char === '\t' || char === '\uFEFF';
}

function quote(char: string): string {
  return JSON.stringify(char);
}
