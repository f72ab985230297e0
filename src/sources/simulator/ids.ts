// Identifiers shaped like Twitch's: message ids are UUIDs, stream ids long decimal numbers.
import type { Random } from './random.ts';

const HEX_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const HEX_DIGIT = '0123456789abcdef';
/** RFC 4122 variant: the first hex digit of the fourth group is 8, 9, a or b. */
const VARIANT_DIGIT = '89ab';

/** A version-4 UUID (the format of Twitch's message id tag), built from 122 random bits. */
export function messageId(random: Random): string {
  const a = random.nextUint32();
  const b = random.nextUint32();
  const c = random.nextUint32();
  const d = random.nextUint32();
  return (
    `${byte(a >>> 24)}${byte(a >>> 16)}${byte(a >>> 8)}${byte(a)}-${byte(b >>> 24)}${byte(b >>> 16)}` +
    `-4${HEX_DIGIT[(b >>> 8) & 15]}${byte(b)}-${VARIANT_DIGIT[c >>> 30]}${HEX_DIGIT[(c >>> 24) & 15]}${byte(c >>> 16)}` +
    `-${byte(c >>> 8)}${byte(c)}${byte(d >>> 24)}${byte(d >>> 16)}${byte(d >>> 8)}${byte(d)}`
  );
}

function byte(value: number): string {
  return HEX_BYTE[value & 0xff] as string;
}

/** Twitch stream ids are 11-12 digit numbers, one per broadcast. */
export function streamId(random: Random): string {
  return String(40_000_000_000 + Math.floor(random.next() * 9_000_000_000));
}
