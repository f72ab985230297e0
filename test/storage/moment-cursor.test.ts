import { describe, expect, it } from 'vitest';
import { decodeMomentCursor, encodeMomentCursor } from '../../src/storage/moment-cursor.ts';

describe('moment cursor', () => {
  it('round-trips the key of the last row', () => {
    const cursor = { startTs: 1_714_564_800_123, id: 'c0ffee' };
    expect(decodeMomentCursor(encodeMomentCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['fractional time', Buffer.from('[1.5,"x"]').toString('base64url')],
    ['empty id', Buffer.from('[1,""]').toString('base64url')],
  ])('refuses %s', (_case, text) => {
    expect(decodeMomentCursor(text)).toBeNull();
  });
});
