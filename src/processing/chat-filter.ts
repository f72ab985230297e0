// Which chat messages count as an audience reacting: not bot commands, not known bots, and
// not one chatter repeating the same text (a spammer must not look like a crowd).
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
}

export class ChatFilter {
  private readonly repeatWindowMs: number;
  private readonly bots: ReadonlySet<string>;
  private readonly lastText = new Map<string, { text: string; ts: number }>();
  private sincePrune = 0;

  constructor(options: ChatFilterOptions = {}) {
    this.repeatWindowMs = options.repeatWindowMs ?? 30_000;
    this.bots = options.bots ?? KNOWN_BOTS;
  }

  accepts(message: ChatMessage): boolean {
    if (COMMAND.test(message.text)) return false;
    if (this.bots.has(message.user)) return false;
    return !this.isRepeat(message);
  }

  private isRepeat(message: ChatMessage): boolean {
    const text = normalise(message.text);
    const previous = this.lastText.get(message.user_id);
    const repeat =
      previous !== undefined &&
      previous.text === text &&
      message.ts - previous.ts < this.repeatWindowMs;
    if (!repeat) this.lastText.set(message.user_id, { text, ts: message.ts });
    if (++this.sincePrune >= 4096) this.prune(message.ts);
    return repeat;
  }

  private prune(now: number): void {
    this.sincePrune = 0;
    for (const [user, last] of this.lastText) {
      if (now - last.ts >= this.repeatWindowMs) this.lastText.delete(user);
    }
  }
}

/** Case and spacing do not make a message new. */
export function normalise(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}
