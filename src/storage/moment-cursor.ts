// Keyset cursor of the moments feed: a page ends at some (start_ts, id); the next page starts
// strictly after it in (start_ts desc, id desc) order (see keyset-cursor.ts).
import { decodeCursor, encodeCursor } from './keyset-cursor.ts';

export interface MomentCursor {
  startTs: number;
  id: string;
}

export function encodeMomentCursor(cursor: MomentCursor): string {
  return encodeCursor([cursor.startTs, cursor.id]);
}

/** Null when `text` is not a cursor this server issued. */
export function decodeMomentCursor(text: string): MomentCursor | null {
  const key = decodeCursor(text, 2);
  if (key === null) return null;
  const [startTs, id] = key;
  if (!Number.isSafeInteger(startTs) || typeof id !== 'string' || id === '') return null;
  return { startTs: startTs as number, id };
}
