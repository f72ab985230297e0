import { describe, expect, it } from 'vitest';
import { decodeClipCursor, encodeClipCursor } from '../../src/storage/clip-cursor.ts';
import { encodeMomentCursor } from '../../src/storage/moment-cursor.ts';

describe('clip cursor', () => {
  it('round-trips a seq, exactly beyond 2^53', () => {
    expect(decodeClipCursor(encodeClipCursor('42'))).toBe('42');
    expect(decodeClipCursor(encodeClipCursor('9007199254740993'))).toBe('9007199254740993');
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['a moment cursor', encodeMomentCursor({ startTs: 1, id: 'x' })],
    ['a number seq', Buffer.from('["clip",12]').toString('base64url')],
    ['zero', encodeClipCursor('0')],
    ['a leading zero', encodeClipCursor('012')],
    ['past bigint', encodeClipCursor('9223372036854775808')],
    ['a negative seq', encodeClipCursor('-3')],
  ])('refuses %s', (_case, text) => {
    expect(decodeClipCursor(text)).toBeNull();
  });
});
