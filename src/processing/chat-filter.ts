// Which chat messages count as an audience reacting: not bot commands, not known bots, not one
// chatter repeating the same text (a spammer must not look like a crowd), and not raiders
// greeting the channel (first-time chatters right after a raid arrive with the raid, they do
// not react to the stream).
import type { ChatMessage } from '../events/schema.ts';
import { BotNames } from './bot-names.ts';
import { ChannelColumns } from './channel-columns.ts';
import { GenerationSet } from './generation-set.ts';
import { FIRST_MESSAGE, NOISE } from './pending-chat.ts';

const COMMAND = /^!\w+/;

/** Bots that answer commands or post alerts in most large channels. */
export const KNOWN_BOTS: ReadonlySet<string> = new Set([
  'nightbot',
  'streamelements',
  'moobot',
  'fossabot',
  'streamlabs',
  'wizebot',
  'botisimo',
  'soundalerts',
  'sery_bot',
  'pokemoncommunitygame',
  'commanderroot',
  'kofistreambot',
]);

export interface ChatFilterOptions {
  /** A chatter's identical text within this many ms counts once (within twice this, it may). */
  repeatWindowMs?: number;
  bots?: ReadonlySet<string>;
  /** How long after a raid notice first-time chatters count as raiders. */
  raidWindowMs?: number;
}

export class ChatFilter {
  private readonly repeatWindowMs: number;
  private readonly bots: BotNames;
  /**
   * What each chatter said (`sayingKey`s) in the current and the previous generation (time cut
   * into `repeatWindowMs` generations): a repeat within one window is always caught (within
   * two, it may be), with no timestamp per message and an older generation dropped as a new one
   * begins.
   */
  private readonly said = new GenerationSet();
  private readonly raidWindowMs: number;
  /**
   * The current generation and the time of the latest raid, doubles from `floatBase` in
   * `columns.floats` (see ChannelColumns): every active channel has a filter.
   */
  private readonly columns: ChannelColumns;
  private readonly floatBase: number;

  /** Doubles one takes in a channel's slot. */
  static readonly floats = 2;

  /**
   * Takes `ChatFilter.floats` doubles from `floatBase` in `columns` (by default, columns of its
   * own).
   */
  constructor(options: ChatFilterOptions = {}, columns?: ChannelColumns, floatBase = 0) {
    this.repeatWindowMs = options.repeatWindowMs ?? 30_000;
    this.bots = BotNames.of(options.bots ?? KNOWN_BOTS);
    this.raidWindowMs = options.raidWindowMs ?? 120_000;
    if (!columns) {
      columns = new ChannelColumns(0, ChatFilter.floats, 1);
      columns.allocate();
    }
    this.columns = columns;
    this.floatBase = floatBase;
    this.generation = Number.NEGATIVE_INFINITY;
    this.raidFrom = Number.NEGATIVE_INFINITY;
  }

  private get generation(): number {
    return this.columns.floats[this.floatBase + GENERATION]!;
  }

  private set generation(generation: number) {
    this.columns.floats[this.floatBase + GENERATION] = generation;
  }

  private get raidFrom(): number {
    return this.columns.floats[this.floatBase + RAID_FROM]!;
  }

  private set raidFrom(ts: number) {
    this.columns.floats[this.floatBase + RAID_FROM] = ts;
  }

  /** A raid arrived at `ts` (the raid notice's time). */
  raided(ts: number): void {
    this.raidFrom = Math.max(this.raidFrom, ts);
  }

  /** Bot commands and known bots: noise whenever they come, so judged as a message arrives. */
  isNoise(message: ChatMessage): boolean {
    if (message.text.charCodeAt(0) === EXCLAMATION && COMMAND.test(message.text)) return true;
    return this.bots.has(message.user);
  }

  /**
   * Whether a message counts: `said` is its `sayingKey`, `flags` from pending-chat.ts. Messages
   * must come in event-time order (ClosedSecond.close does that).
   */
  accepts(said: number, flags: number, ts: number): boolean {
    if (flags & NOISE) return false;
    if (flags & FIRST_MESSAGE && this.isDuringRaid(ts)) return false;
    return !this.isRepeat(said, ts);
  }

  private isDuringRaid(ts: number): boolean {
    // Raiders may be stamped a little before the notice: chat and notices travel separately.
    return ts >= this.raidFrom - 5_000 && ts < this.raidFrom + this.raidWindowMs;
  }

  /** A repeat does not refresh the saying: said again and again, it counts every other generation. */
  private isRepeat(said: number, ts: number): boolean {
    const generation = Math.floor(ts / this.repeatWindowMs);
    if (generation !== this.generation) this.begin(generation);
    return this.said.addIfAbsent(said);
  }

  /** Forgets what was said before the previous generation (everything, after a quiet one). */
  private begin(generation: number): void {
    if (generation === this.generation + 1) this.said.nextGeneration();
    else this.said.clear();
    this.generation = generation;
  }
}

const EXCLAMATION = 33;
/** Positions among the filter's doubles. */
const GENERATION = 0;
const RAID_FROM = 1;

/**
 * Case, spacing and invisible characters do not make a message new (chat clients append
 * U+E0000 or zero-width characters to get past Twitch's duplicate-message check).
 */
export function normalise(text: string): string {
  // Most chat is printable ASCII with single spaces inside: at most its case to change, and four
  // regular-expression passes over every text of a moment were most of explaining it.
  switch (plainAscii(text)) {
    case LOWER:
      return text;
    case MIXED:
      return text.toLowerCase();
    default:
      return text.replace(INVISIBLE, '').trim().replace(/\s+/g, ' ').toLowerCase();
  }
}

const LOWER = 0;
const MIXED = 1;
const OTHER = 2;

/**
 * LOWER when `text` is printable ASCII, no capitals, with single spaces between words: exactly
 * what `normalise` would make of it; MIXED when only capitals stand in the way; else OTHER.
 */
function plainAscii(text: string): number {
  let result = LOWER;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === SPACE) {
      if (i === 0 || i === text.length - 1 || text.charCodeAt(i - 1) === SPACE) return OTHER;
    } else if (code < SPACE || code > TILDE) {
      return OTHER;
    } else if (code >= CAPITAL_A && code <= CAPITAL_Z) {
      result = MIXED;
    }
  }
  return result;
}

const SPACE = 32;
const TILDE = 126;
const CAPITAL_A = 65;
const CAPITAL_Z = 90;

const INVISIBLE = /[\u{E0000}\u200B-\u200D\u2060\uFEFF]/gu;
