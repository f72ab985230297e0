// Keyset cursor of the moments feed. A page ends at some (start_ts, id); the next page starts
// strictly after it in (start_ts desc, id desc) order. Unlike an offset, moments inserted while
// a reader pages never shift what the next page contains: nothing is skipped or repeated.
// Opaque to clients (base64url JSON), so its shape can change without breaking them.

export interface MomentCursor {
  startTs: number;
  id: string;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export function encodeMomentCursor(cursor: MomentCursor): string {
  return Buffer.from(JSON.stringify([cursor.startTs, cursor.id])).toString('base64url');
}

/** Null when `text` is not a cursor this server issued. */
export function decodeMomentCursor(text: string): MomentCursor | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [startTs, id] = value as unknown[];
  if (!Number.isSafeInteger(startTs) || typeof id !== 'string' || id === '') return null;
  return { startTs: startTs as number, id };
}
