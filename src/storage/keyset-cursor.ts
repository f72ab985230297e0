// Keyset cursors of the newest-first feeds (moments, clips). A page ends at some key; the next
// page starts strictly after it in the feed's order. Unlike an offset, rows inserted while a
// reader pages never shift what the next page contains: nothing is skipped or repeated.
// Opaque to clients (base64url of a JSON array), so a key's shape can change without breaking them.

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

export type CursorKey = readonly (string | number)[];

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key's parts, or null when `text` is not base64url JSON of an array of `length` parts. */
export function decodeCursor(text: string, length: number): unknown[] | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  return Array.isArray(value) && value.length === length ? value : null;
}
