// How often each emote was used in one second's messages: for an explanation's top emotes and
// for live metrics' emote cloud.
import type { PendingChat } from './pending-chat.ts';

const NO_EMOTES: readonly (string | number)[] = Object.freeze([]);

/** Emote counts of the messages in the list at `head`: name, count, name, count… */
export function countEmotes(pending: PendingChat, head: number): readonly (string | number)[] {
  const at = scratch;
  at.clear();
  const flat: (string | number)[] = [];
  pending.forEachRow(head, (row) => {
    const names = pending.emotes[row];
    if (names === null || names === undefined) return;
    if (typeof names === 'string') countEmote(flat, at, names);
    else for (const name of names) countEmote(flat, at, name);
  });
  return flat.length === 0 ? NO_EMOTES : flat;
}

/**
 * Where each name's count is in the flat list being built. Counting never re-enters: one
 * working map for every second.
 */
const scratch = new Map<string, number>();

/** One lookup per emote (a map of counts took two: get, then set), first-seen order kept. */
function countEmote(flat: (string | number)[], at: Map<string, number>, name: string): void {
  const index = at.get(name);
  if (index === undefined) {
    at.set(name, flat.length + 1);
    flat.push(name, 1);
  } else {
    (flat[index] as number) += 1;
  }
}
