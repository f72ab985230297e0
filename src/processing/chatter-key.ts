// Small-integer keys for chatters and texts. State for thousands of channels holds chatter ids
// in maps and windows; fresh id strings from every message would be kept alive there. A 30-bit
// FNV-1a hash is stored unboxed by V8 (a "small integer"), costs nothing to compare, and in a
// window of 5,000 chatters merges two of them with a probability of about 1 %: at worst a
// count one short.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const THIRTY_BITS = 0x3fffffff;

export function chatterKey(userId: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < userId.length; i++) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return (hash >>> 0) & THIRTY_BITS;
}

const SPACE = 32;

/**
 * Hash of a text as a person reads it: ASCII case, runs of whitespace, leading and trailing
 * spaces and invisible characters (U+E0000 and zero-width ones, which chat clients add to get
 * past Twitch's duplicate check) make no difference. One pass, no allocation.
 */
export function textFingerprint(text: string): number {
  let hash = FNV_OFFSET;
  let pendingSpace = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    // Visible characters below the invisible ones, nearly all of chat, take the short way.
    if (code > SPACE && code < FIRST_INVISIBLE) {
      if (pendingSpace) {
        hash = Math.imul(hash ^ SPACE, FNV_PRIME);
        pendingSpace = false;
      }
      if (code >= 65 && code <= 90) code += 32;
      hash = Math.imul(hash ^ code, FNV_PRIME);
      started = true;
      continue;
    }
    if (isInvisible(code, text, i)) {
      if (code === 0xdb40) i += 1; // the low half of U+E0000
      continue;
    }
    if (code <= SPACE || code === 0x3000) {
      pendingSpace = started;
      continue;
    }
    if (pendingSpace) {
      hash = Math.imul(hash ^ SPACE, FNV_PRIME);
      pendingSpace = false;
    }
    hash = Math.imul(hash ^ code, FNV_PRIME);
    started = true;
  }
  return (hash >>> 0) & THIRTY_BITS;
}

/**
 * One 30-bit key for a chatter (a `chatterKey`) saying a text, as a person reads it (see
 * `textFingerprint`): what the repeat filter remembers. A multiplicative mix of the two hashes.
 */
export function sayingKey(chatter: number, text: string): number {
  return Math.imul(chatter ^ Math.imul(textFingerprint(text), 0x85ebca6b), 0xc2b2ae35) >>> 2;
}

/** The lowest code unit `isInvisible` may accept (U+200B). */
const FIRST_INVISIBLE = 0x200b;

function isInvisible(code: number, text: string, index: number): boolean {
  if (code === 0x200b || code === 0x200c || code === 0x200d || code === 0x2060 || code === 0xfeff)
    return true;
  return code === 0xdb40 && text.charCodeAt(index + 1) === 0xdc00;
}
