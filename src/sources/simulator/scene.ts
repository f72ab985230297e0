// Everything a channel's episodes (raids, spam, gifts, giveaways, bots) act on.
import type { Broadcast } from './broadcast.ts';
import type { SimChannel } from './channels.ts';
import type { ChatWriter } from './chat-writer.ts';
import type { EventQueue } from './event-queue.ts';
import type { Random } from './random.ts';

export interface ChannelScene {
  readonly channel: SimChannel;
  readonly broadcast: Broadcast;
  readonly writer: ChatWriter;
  /** Where episodes put the events they plan ahead. */
  readonly queue: EventQueue;
  /** When things happen: rates, counts, schedules. */
  readonly dynamics: Random;
  /** What happens: who, which words, which millisecond. Kept apart so content changes leave timing alone. */
  readonly content: Random;
}
