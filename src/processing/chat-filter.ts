// Which chat messages count as an audience reacting: not bot commands, not known bots, not one
// chatter repeating the same text (a spammer must not look like a crowd), and not raiders
// greeting the channel (first-time chatters right after a raid arrive with the raid, they do
// not react to the stream).
import type { ChatMessage } from '../events/schema.ts';

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
  /** A chatter's identical text within this many ms counts once. */
  repeatWindowMs?: number;
  bots?: ReadonlySet<string>;
  /** How long after a raid notice first-time chatters count as raiders. */
  raidWindowMs?: number;
}

export class ChatFilter {
  private readonly repeatWindowMs: number;
  private readonly bots: ReadonlySet<string>;
  /** Each chatter's last counted text, raw: normalising every message would cost more than it saves. */
  private readonly lastText = new Map<string, { text: string; ts: number }>();
  private readonly raidWindowMs: number;
  private raidFrom = Number.NEGATIVE_INFINITY;
  private sincePrune = 0;

  constructor(options: ChatFilterOptions = {}) {
    this.repeatWindowMs = options.repeatWindowMs ?? 30_000;
    this.bots = options.bots ?? KNOWN_BOTS;
    this.raidWindowMs = options.raidWindowMs ?? 120_000;
  }

  /** A raid arrived at `ts` (the raid notice's time). */
  raided(ts: number): void {
    this.raidFrom = Math.max(this.raidFrom, ts);
  }

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
    const previous = this.lastText.get(message.user_id);
    const repeat =
      previous !== undefined &&
      message.ts - previous.ts < this.repeatWindowMs &&
      (previous.text === message.text || normalise(previous.text) === normalise(message.text));
    // A repeat is not remembered: the window runs from the first copy.
    if (!repeat) this.remember(message, previous);
    // Prune in proportion to the map's size: amortised O(1) per message.
    if (++this.sincePrune >= Math.max(64, this.lastText.size)) this.prune(message.ts);
    return repeat;
  }

  /** Reuses the chatter's entry: one allocation per chatter, not per message. */
  private remember(message: ChatMessage, previous: { text: string; ts: number } | undefined): void {
    if (!previous) {
      this.lastText.set(message.user_id, { text: message.text, ts: message.ts });
      return;
    }
    previous.text = message.text;
    previous.ts = message.ts;
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    for (const [user, last] of this.lastText) {
      if (now - last.ts >= this.repeatWindowMs) this.lastText.delete(user);
    }
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
