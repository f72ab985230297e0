// Which chat messages count as an audience reacting: not bot commands, not known bots, not one
// chatter repeating the same text (a spammer must not look like a crowd), and not raiders
// greeting the channel (first-time chatters right after a raid arrive with the raid, they do
// not react to the stream).
import type { ChatMessage } from '../events/schema.ts';
import { chatterKey, textFingerprint } from './chatter-key.ts';

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
   * Chatter key -> fingerprint of their last counted text, in two generations of
   * `repeatWindowMs` each: a repeat within one window is always caught (within two, it may
   * be), with no timestamp per chatter and nothing to prune.
   */
  private current = new Map<number, number>();
  private previous = new Map<number, number>();
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

  /** Messages must come in event-time order (SecondBucket.close does that). */
  accepts(message: ChatMessage): boolean {
    if (message.text.charCodeAt(0) === EXCLAMATION && COMMAND.test(message.text)) return false;
    if (this.bots.has(message.user)) return false;
    if (message.first_msg && this.isDuringRaid(message.ts)) return false;
    return !this.isRepeat(message);
  }

  private isDuringRaid(ts: number): boolean {
    // Raiders may be stamped a little before the notice: chat and notices travel separately.
    return ts >= this.raidFrom - 5_000 && ts < this.raidFrom + this.raidWindowMs;
  }

  private isRepeat(message: ChatMessage): boolean {
    this.rotate(message.ts);
    const chatter = chatterKey(message.user_id);
    const text = textFingerprint(message.text);
    if (this.current.get(chatter) === text || this.previous.get(chatter) === text) return true;
    this.current.set(chatter, text);
    return false;
  }

  private rotate(ts: number): void {
    if (ts < this.generationEnds) return;
    const quiet = ts >= this.generationEnds + this.repeatWindowMs;
    this.previous = quiet ? new Map() : this.current;
    this.current = new Map();
    this.generationEnds = (Math.floor(ts / this.repeatWindowMs) + 1) * this.repeatWindowMs;
  }
}

const EXCLAMATION = 33;

/**
 * Case, spacing and invisible characters do not make a message new (chat clients append
 * U+E0000 or zero-width characters to get past Twitch's duplicate-message check).
 */
export function normalise(text: string): string {
  return text.replace(INVISIBLE, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

const INVISIBLE = /[\u{E0000}\u200B-\u200D\u2060\uFEFF]/gu;
