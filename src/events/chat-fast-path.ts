// A hand-written check for the one event that dominates every file: a well-formed chat message.
//
// Why it exists: `EventSchema.safeParse` costs about as much per line as `JSON.parse` itself, and
// chat is nearly every line, so zod alone capped `streamscout detect` well below the speed of
// reading the file. This accepts only what `ChatMessageSchema` accepts and returns exactly what it
// would return (same keys in the same order, defaults filled in, unknown keys dropped, fresh
// arrays and objects). Anything it is not sure about returns `null` and zod decides, so results
// and error messages stay zod's. `test/events/chat-fast-path.test.ts` holds the two side by side.
//
// Keep it in step with `ChatMessageSchema` in schema.ts: a field added there must be added here.
import { SCHEMA_VERSION, type ChatMessage, type Emote } from './schema.ts';

type Loose = Record<string, unknown>;

/** Plain data objects only (what JSON.parse makes); class instances and the like go to zod. */
function isPlain(value: unknown): value is Loose {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Lengths in UTF-16 units. Zod counts code points once a string is over its maximum in units
 * (an emoji is two units, one code point), so a string that fits in units fits for zod; one that
 * does not is left to zod. At the minimums used here (0 and 1) the two counts agree.
 */
const isString = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;

/** `z.number().int().nonnegative()`: zod's int is a safe integer, which also rules out NaN. */
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const isFlag = (value: unknown): value is boolean | undefined =>
  value === undefined || typeof value === 'boolean';

/** `ChatMessageSchema.parse(raw)` when `raw` is a valid chat message, or `null`: ask zod. */
export function chatFastPath(raw: unknown): ChatMessage | null {
  try {
    return check(raw);
  } catch {
    // Only exotic inputs (proxies, throwing getters) get here; zod will say what it says.
    return null;
  }
}

function check(raw: unknown): ChatMessage | null {
  if (!isPlain(raw)) return null;
  const { v, channel_id, ts, type, id, channel, user_id, user, display_name, text } = raw;
  const { received_ts, emotes, badges, bits, first_msg, returning, mod, sub, vip, reply_to } = raw;
  if (
    v !== SCHEMA_VERSION ||
    type !== 'chat' ||
    !isString(channel_id, 1, 128) ||
    !isCount(ts) ||
    !isString(id, 1, 128) ||
    !isString(channel, 1, 64) ||
    !isString(user_id, 1, 128) ||
    !isString(user, 1, 64) ||
    !isString(text, 0, 2000) ||
    !(bits === undefined || isCount(bits)) ||
    !isFlag(first_msg) ||
    !isFlag(returning) ||
    !isFlag(mod) ||
    !isFlag(sub) ||
    !isFlag(vip)
  ) {
    return null;
  }
  // Optional keys: zod keeps a key that is present but `undefined`; rare enough to leave to zod.
  if (display_name === undefined ? 'display_name' in raw : !isString(display_name, 0, 64)) {
    return null;
  }
  if (received_ts === undefined ? 'received_ts' in raw : !isCount(received_ts)) return null;
  if (reply_to === undefined ? 'reply_to' in raw : typeof reply_to !== 'string') return null;
  const emoteList = emotes === undefined ? [] : copyEmotes(emotes);
  const badgeMap = badges === undefined ? {} : copyBadges(badges);
  if (emoteList === null || badgeMap === null) return null;

  // Keys in the order zod writes them: the schema's, optional ones only when present.
  const out: Loose = { v, channel_id, ts, type, id, channel, user_id, user };
  if (display_name !== undefined) out.display_name = display_name;
  out.text = text;
  if (received_ts !== undefined) out.received_ts = received_ts;
  out.emotes = emoteList;
  out.badges = badgeMap;
  out.bits = bits ?? 0;
  out.first_msg = first_msg ?? false;
  out.returning = returning ?? false;
  out.mod = mod ?? false;
  out.sub = sub ?? false;
  out.vip = vip ?? false;
  if (reply_to !== undefined) out.reply_to = reply_to;
  return out as ChatMessage;
}

/** `z.array(EmoteSchema)`: a new array of new emote objects, extra keys dropped. */
function copyEmotes(emotes: unknown): Emote[] | null {
  if (!Array.isArray(emotes)) return null;
  const copy: Emote[] = [];
  for (let i = 0; i < emotes.length; i++) {
    const emote: unknown = emotes[i];
    if (!isPlain(emote)) return null;
    const { id, name, start, end } = emote;
    if (!isString(id, 1, Infinity) || !isString(name, 1, Infinity)) return null;
    if (!isCount(start) || !isCount(end)) return null;
    copy.push({ id, name, start, end });
  }
  return copy;
}

/** `z.record(z.string(), z.string())`: a new object with the same string entries. */
function copyBadges(badges: unknown): Record<string, string> | null {
  if (!isPlain(badges)) return null;
  // Zod rejects a symbol key (and skips non-enumerable keys, as Object.keys does).
  if (Object.getOwnPropertySymbols(badges).length !== 0) return null;
  const copy: Record<string, string> = {};
  for (const key of Object.keys(badges)) {
    const value = badges[key];
    // An own `__proto__` key (JSON.parse makes them) is dropped by zod; leave that to zod.
    if (typeof value !== 'string' || key === '__proto__') return null;
    copy[key] = value;
  }
  return copy;
}
