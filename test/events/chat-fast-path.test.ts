// The chat fast path must never change what validateEvent returns: here it is held side by side
// with zod on many generated inputs, valid and broken in every field.
import { describe, expect, it } from 'vitest';
import { chatFastPath } from '../../src/events/chat-fast-path.ts';
import { validateEvent, type Decoded } from '../../src/events/decode.ts';
import { ChatMessageSchema, EventSchema } from '../../src/events/schema.ts';
import { ChatSimulator } from '../../src/sources/simulator/chat-simulator.ts';
import { Random } from '../../src/sources/simulator/random.ts';
import { chat } from '../support/chat.ts';

/** validateEvent as it was before the fast path: zod alone. */
function reference(raw: unknown): Decoded {
  const result = EventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(event)';
  return { ok: false, reason: `${field}: ${issue?.message ?? 'invalid event'}` };
}

/** JSON with key order, plus what JSON hides: keys holding `undefined`, and -0. */
function exact(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v === undefined ? '<undefined>' : Object.is(v, -0) ? '<-0>' : v,
  );
}

/** What a call gave, thrown errors included (zod's path join throws on a symbol key, say). */
function outcome(validate: (raw: unknown) => Decoded, raw: unknown): string {
  try {
    return exact(validate(raw));
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

type Loose = Record<string, unknown>;

class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    const random = new Random(seed);
    this.next = () => random.next();
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /**
   * A string this many UTF-16 units long; lengths cluster at the schema's limits, where
   * off-by-one mistakes live. Zod counts code points once a string is over its maximum in units,
   * so some strings carry emoji (two units, one code point) and some a lone half of one.
   */
  string(lengths: readonly number[] = [1, 2, 5, 12]): string {
    const length = this.pick(lengths);
    const alphabet = ['a', 'Z', '7', ' ', '_', 'é', '\n', '"'];
    if (this.chance(0.15)) alphabet.push('😀', '😀', '\ud83d');
    let out = '';
    while (out.length < length) out += this.pick(alphabet);
    return out.slice(0, length);
  }
  count(): number {
    return this.pick([0, 1, 7, 1_700_000_000_000, Number.MAX_SAFE_INTEGER]);
  }
  shuffleKeys(object: Loose): Loose {
    const keys = Object.keys(object);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    const out: Loose = {};
    for (const key of keys) out[key] = object[key];
    return out;
  }
}

const ID_LENGTHS = [1, 2, 36, 127, 128];
const LOGIN_LENGTHS = [1, 4, 63, 64];

function emote(gen: Gen): Loose {
  const start = gen.int(50);
  return { id: gen.string([1, 2, 9]), name: gen.string([1, 5]), start, end: start + gen.int(8) };
}

function badges(gen: Gen): Loose {
  const out: Loose = {};
  const n = gen.int(4);
  for (let i = 0; i < n; i++) {
    out[gen.pick(['subscriber', 'moderator', 'vip', 'founder', '0', '12', ''])] = gen.pick([
      '0',
      '1',
      '12',
      '',
    ]);
  }
  return out;
}

/** A valid chat message, with optional and defaulted fields sometimes left out. */
function validChat(gen: Gen): Loose {
  const message: Loose = {
    v: 1,
    type: 'chat',
    channel_id: gen.string(ID_LENGTHS),
    ts: gen.count(),
    id: gen.string(ID_LENGTHS),
    channel: gen.string(LOGIN_LENGTHS),
    user_id: gen.string(ID_LENGTHS),
    user: gen.string(LOGIN_LENGTHS),
    text: gen.string([0, 1, 30, 1999, 2000]),
  };
  if (gen.chance(0.6)) message.display_name = gen.string([0, 1, 10, 64]);
  if (gen.chance(0.6)) message.received_ts = gen.count();
  if (gen.chance(0.8)) message.emotes = Array.from({ length: gen.int(4) }, () => emote(gen));
  if (gen.chance(0.8)) message.badges = badges(gen);
  if (gen.chance(0.7)) message.bits = gen.pick([0, 1, 100]);
  for (const flag of ['first_msg', 'returning', 'mod', 'sub', 'vip']) {
    if (gen.chance(0.7)) message[flag] = gen.chance(0.5);
  }
  if (gen.chance(0.2)) message.reply_to = gen.string([0, 1, 36]);
  return gen.chance(0.3) ? gen.shuffleKeys(message) : message;
}

const CHAT_KEYS = [
  'v',
  'type',
  'channel_id',
  'ts',
  'id',
  'channel',
  'user_id',
  'user',
  'display_name',
  'text',
  'received_ts',
  'emotes',
  'badges',
  'bits',
  'first_msg',
  'returning',
  'mod',
  'sub',
  'vip',
  'reply_to',
];

class Widget {
  id = 'x';
}

/** Values that are wrong somewhere, or right by a hair. */
function oddValue(gen: Gen): unknown {
  return gen.pick<() => unknown>([
    () => undefined,
    () => null,
    () => NaN,
    () => Infinity,
    () => -Infinity,
    () => -1,
    () => -0,
    () => 1.5,
    () => 0,
    () => 1,
    () => 2,
    () => 2 ** 53,
    () => Number.MAX_SAFE_INTEGER,
    () => '',
    () => '1',
    () => 'chat',
    () => gen.string([63, 64, 65, 127, 128, 129, 1999, 2000, 2001, 3000]),
    () => true,
    () => false,
    () => [],
    () => [1],
    () => ({}),
    () => ({ a: 'b' }),
    () => ({ a: 1 }),
    () => new Widget(),
    () => Object.create(null) as Loose,
    () => new Date(0),
    () => new String('s'),
    () => 10n,
    () => Symbol('s'),
  ])();
}

/** One way of breaking (or only bending) a message, applied in place. */
function mutate(gen: Gen, message: Loose): void {
  const key = gen.pick(CHAT_KEYS);
  switch (gen.int(12)) {
    case 0:
    case 1:
    case 2:
      message[key] = oddValue(gen);
      return;
    case 3:
      delete message[key];
      return;
    case 4:
      message[gen.pick(['extra', 'kind', 'constructor', 'toString', '__proto__'])] = oddValue(gen);
      return;
    case 5:
      message.v = gen.pick([2, 0, '1', 1.0, 1]);
      message.type = gen.pick(['chat', 'notice', 'viewers', 'CHAT', '', 1]);
      return;
    case 6: {
      // A field that is optional or defaulted present but undefined.
      message[gen.pick(['display_name', 'received_ts', 'reply_to', 'emotes', 'bits', 'mod'])] =
        undefined;
      return;
    }
    case 7: {
      const emotes = Array.from({ length: 1 + gen.int(3) }, () => emote(gen));
      const target = emotes[gen.int(emotes.length)]!;
      switch (gen.int(5)) {
        case 0:
          target[gen.pick(['id', 'name', 'start', 'end'])] = oddValue(gen);
          break;
        case 1:
          delete target[gen.pick(['id', 'name', 'start', 'end'])];
          break;
        case 2:
          target.extra = oddValue(gen);
          break;
        case 3:
          emotes[gen.int(emotes.length)] = oddValue(gen) as Loose;
          break;
        default:
          delete emotes[gen.int(emotes.length)]; // leaves a hole
      }
      message.emotes = gen.chance(0.1) ? { 0: target, length: 1 } : emotes;
      return;
    }
    case 8: {
      const badgeMap = badges(gen);
      switch (gen.int(5)) {
        case 0:
          badgeMap[gen.pick(['subscriber', 'x', '3'])] = oddValue(gen);
          break;
        case 1:
          // Own `__proto__` keys only come from JSON.parse.
          message.badges = JSON.parse('{"__proto__":"1","vip":"1"}');
          return;
        case 2:
          (badgeMap as Record<symbol, unknown>)[Symbol('badge')] = '1';
          break;
        case 3:
          Object.defineProperty(badgeMap, 'hidden', { value: '1', enumerable: false });
          break;
        default:
          message.badges = gen.pick([[], ['1'], null, 'subscriber/1', new Map([['a', 'b']])]);
          return;
      }
      message.badges = badgeMap;
      return;
    }
    case 9: {
      const lengths = [0, 1, 63, 64, 65, 127, 128, 129, 1999, 2000, 2001];
      message[
        gen.pick(['channel_id', 'id', 'user_id', 'channel', 'user', 'display_name', 'text'])
      ] = gen.string(lengths);
      return;
    }
    case 10:
      message[gen.pick(['ts', 'received_ts', 'bits'])] = gen.pick([-1, 0.5, 2 ** 53, -0, NaN, 3]);
      return;
    default:
      message[gen.pick(['first_msg', 'returning', 'mod', 'sub', 'vip'])] = gen.pick([
        0,
        1,
        'true',
        null,
        true,
      ]);
  }
}

/** Inputs that are not a chat message at all. */
function notAnObject(gen: Gen): unknown {
  const message = validChat(gen);
  return gen.pick<() => unknown>([
    () => null,
    () => undefined,
    () => 'chat',
    () => 1,
    () => [message],
    () => Object.assign(new Widget(), message),
    () => Object.assign(Object.create(null) as Loose, message),
    () => Object.assign(Object.create({ inherited: 1 }) as Loose, message),
  ])();
}

function generate(gen: Gen): { raw: unknown; mutated: boolean } {
  const roll = gen.next();
  if (roll < 0.05) return { raw: notAnObject(gen), mutated: true };
  const message = validChat(gen);
  if (roll < 0.35) return { raw: message, mutated: false };
  const mutations = 1 + gen.int(3);
  for (let i = 0; i < mutations; i++) mutate(gen, message);
  return { raw: message, mutated: true };
}

describe('chat fast path', () => {
  it('gives exactly what zod gives, valid or not, on 30,000 generated inputs', () => {
    const gen = new Gen(20_260_101);
    const mismatches: string[] = [];
    let cases = 0;
    let fast = 0;
    let zodOk = 0;
    let cleanDeclined = 0;
    for (; cases < 30_000; cases++) {
      const { raw, mutated } = generate(gen);
      const expected = outcome(reference, raw);
      const actual = outcome(validateEvent, raw);
      if (actual !== expected && mismatches.length < 5) {
        mismatches.push(`input ${String(exact(raw))}\n  zod  ${expected}\n  fast ${actual}`);
      }
      if (expected.startsWith('{"ok":true')) zodOk += 1;
      if (chatFastPath(raw) !== null) fast += 1;
      else if (!mutated) cleanDeclined += 1;
    }
    expect(mismatches).toEqual([]);
    // The generator must cover both sides, and the fast path must take every clean message.
    expect(zodOk).toBeGreaterThan(cases * 0.4);
    expect(zodOk).toBeLessThan(cases * 0.9);
    expect(fast).toBeGreaterThan(cases * 0.3);
    expect(cleanDeclined).toBe(0);
  });

  it('takes typical simulated chat, returning what ChatMessageSchema.parse returns', () => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const simulator = new ChatSimulator({ seed: 7, channels: 3, startTs: start });
    let chats = 0;
    for (const event of simulator.events(start, start + 60_000)) {
      if (event.type !== 'chat') continue;
      const raw: unknown = JSON.parse(JSON.stringify(event));
      const fast = chatFastPath(raw);
      expect(fast).not.toBeNull();
      expect(exact(fast)).toBe(exact(ChatMessageSchema.parse(raw)));
      chats += 1;
    }
    expect(chats).toBeGreaterThan(100);
  });

  it('fills defaults, drops unknown keys and shares nothing with its input', () => {
    const emotes = [{ id: '25', name: 'Kappa', start: 0, end: 4, extra: true }];
    const badges = { subscriber: '12' };
    const raw = {
      extra: 1,
      text: 'Kappa hi',
      user: 'u',
      user_id: '1',
      channel: 'c',
      id: 'm',
      type: 'chat',
      ts: 5,
      channel_id: '9',
      v: 1,
      emotes,
      badges,
    };
    const fast = chatFastPath(raw);
    expect(fast).not.toBeNull();
    expect(Object.keys(fast!)).toEqual(Object.keys(ChatMessageSchema.parse(raw)));
    expect(fast).toEqual(ChatMessageSchema.parse(raw));
    expect(fast!.emotes).not.toBe(emotes);
    expect(fast!.emotes[0]).toEqual({ id: '25', name: 'Kappa', start: 0, end: 4 });
    expect(fast!.badges).not.toBe(badges);
    expect(validateEvent(raw)).toEqual({ ok: true, event: fast });
  });

  it('knows every field of ChatMessageSchema, so a new field cannot be dropped silently', () => {
    // Every field set, the optional ones too.
    const full = chat({ ts: 5, display_name: 'U', received_ts: 6, reply_to: 'p' });
    // A field added to the schema shows up here and fails the test until the fast path has it.
    expect(Object.keys(full).sort()).toEqual(Object.keys(ChatMessageSchema.shape).sort());
    expect(Object.keys(chatFastPath(full)!)).toEqual(Object.keys(ChatMessageSchema.shape));
  });

  it('agrees with zod on strings over a maximum in UTF-16 units but not in code points', () => {
    const raw = { v: 1, type: 'chat', channel_id: '1', ts: 1, id: 'm', channel: 'c' };
    const message = { ...raw, user_id: '2', user: 'u', text: '😀'.repeat(1_500) };
    expect(exact(validateEvent(message))).toBe(exact(reference(message)));
    expect(validateEvent(message).ok).toBe(true);
    expect(validateEvent({ ...message, text: 'a' + '😀'.repeat(2_000) }).ok).toBe(false);
  });

  it('never throws, leaving odd inputs to zod', () => {
    const hostile = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(chatFastPath(hostile)).toBeNull();
  });
});
