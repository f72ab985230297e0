// Which chat messages count as an audience reacting: not bot commands, not known bots, not one
// chatter repeating the same text (a spammer must not look like a crowd), and not raiders
// greeting the channel (first-time chatters right after a raid arrive with the raid, they do
// not react to the stream).
import type { ChatMessage } from '../events/schema.ts';
import { textFingerprint } from './chatter-key.ts';
import { ChatterSet } from './chatter-table.ts';
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
  private readonly bots: ReadonlySet<string>;
  /**
   * What each chatter said (a hash of chatter and text), in two generations of
   * `repeatWindowMs` each: a repeat within one window is always caught (within two, it may
   * be), with no timestamp per message and nothing to prune.
   */
  private current = new ChatterSet();
  private previous = new ChatterSet();
  private generationEnds = Number.NEGATIVE_INFINITY;
  private readonly raidWindowMs: number;
  private raidFrom = Number.NEGATIVE_INFINITY;

  constructor(options: ChatFilterOptions = {}) {
    this.repeatWindowMs = options.repeatWindowMs ?? 30_000;
    this.bots = options.bots ?? KNOWN_BOTS;
    this.raidWindowMs = options.raidWindowMs ?? 120_000;
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
   * Whether a chatter's message counts (`flags` from pending-chat.ts); messages must come in
   * event-time order (SecondBucket.close does that).
   */
  accepts(chatter: number, text: string, flags: number, ts: number): boolean {
    if (flags & NOISE) return false;
    if (flags & FIRST_MESSAGE && this.isDuringRaid(ts)) return false;
    return !this.isRepeat(chatter, text, ts);
  }

  private isDuringRaid(ts: number): boolean {
    // Raiders may be stamped a little before the notice: chat and notices travel separately.
    return ts >= this.raidFrom - 5_000 && ts < this.raidFrom + this.raidWindowMs;
  }

  private isRepeat(chatter: number, text: string, ts: number): boolean {
    this.rotate(ts);
    const said = saying(chatter, textFingerprint(text));
    if (this.current.has(said) || this.previous.has(said)) return true;
    this.current.add(said);
    return false;
  }

  private rotate(ts: number): void {
    if (ts < this.generationEnds) return;
    const quiet = ts >= this.generationEnds + this.repeatWindowMs;
    // The old previous generation's table is emptied and reused for the new one.
    const recycled = this.previous;
    this.previous = this.current;
    if (quiet) this.previous.clear();
    recycled.clear();
    this.current = recycled;
    this.generationEnds = (Math.floor(ts / this.repeatWindowMs) + 1) * this.repeatWindowMs;
  }
}

const EXCLAMATION = 33;

/** One 30-bit key for a chatter saying a text (a multiplicative mix of the two hashes). */
function saying(chatter: number, text: number): number {
  return Math.imul(chatter ^ Math.imul(text, 0x85ebca6b), 0xc2b2ae35) >>> 2;
}

/**
 * Case, spacing and invisible characters do not make a message new (chat clients append
 * U+E0000 or zero-width characters to get past Twitch's duplicate-message check).
 */
export function normalise(text: string): string {
  return text.replace(INVISIBLE, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

const INVISIBLE = /[\u{E0000}\u200B-\u200D\u2060\uFEFF]/gu;
