// Keyset cursor of the clips feed: a page ends at some `seq` (the order clips were stored in);
// the next page holds strictly older ones. A clip stored later gets a higher seq, so it can never
// land between pages a reader has already seen (see keyset-cursor.ts).
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';

/** seq is a bigserial: kept as its decimal text, exact beyond 2^53. */
export function encodeClipCursor(seq: string): string {
  return encodeCursor(['clip', seq]);
}

/** The seq to page below, or null when `text` is not a cursor this server issued for clips. */
export function decodeClipCursor(text: string): string | null {
  const key = decodeCursor(text, 2);
  if (key === null) return null;
  const [kind, seq] = key;
  if (kind !== 'clip' || typeof seq !== 'string' || !/^[1-9]\d{0,18}$/.test(seq)) return null;
  return BigInt(seq) <= MAX_BIGINT ? seq : null;
}

const MAX_BIGINT = 2n ** 63n - 1n;
