// How often each emote was used in one second's messages: for an explanation's top emotes and
// for live metrics' emote cloud.
import type { PendingChat } from './pending-chat.ts';

const NO_EMOTES: readonly (string | number)[] = Object.freeze([]);

/** Emote counts of the messages in the list at `head`: name, count, name, count… */
export function countEmotes(pending: PendingChat, head: number): readonly (string | number)[] {
  const counts = scratch;
  counts.clear();
  pending.forEachRow(head, (row) => {
    const names = pending.emotes[row];
    if (names === null || names === undefined) return;
    if (typeof names === 'string') countEmote(counts, names);
    else for (const name of names) countEmote(counts, name);
  });
  if (counts.size === 0) return NO_EMOTES;
  const flat: (string | number)[] = [];
  for (const [name, count] of counts) flat.push(name, count);
  return flat;
}

/** Counting never re-enters: one working map for every second. */
const scratch = new Map<string, number>();

function countEmote(counts: Map<string, number>, name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}
