// Deterministic ids for fake Twitch users and streams, so that the fake IRC server's `room-id`
// and the fake Helix server's `user_id` agree for the same login without any wiring.

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A numeric string of 8 or 9 digits, like Twitch's user ids; the same login always maps to the same id. */
export function fakeUserId(login: string): string {
  return String(10_000_000 + (fnv1a(login.toLowerCase()) % 900_000_000));
}

/** A numeric string of 11 digits, like a Twitch stream (broadcast) id. */
export function fakeStreamId(login: string, broadcast = 0): string {
  return String(40_000_000_000 + (fnv1a(`${login.toLowerCase()}#${broadcast}`) % 9_000_000_000));
}
