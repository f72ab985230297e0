// The names of known bots (see ChatFilter), asked about every chat message's sender. A `Set`
// lookup hashes the sender's name, a string fresh from the decoder whose hash V8 has not
// computed yet: a pass over its characters per message. Nearly every name is ruled out by its
// first character and its length alone, which a bit table answers without hashing.

/** Names whose first character is below this and whose length is below 32 are in the table. */
const FIRST_CHARS = 128;
const MAX_LENGTH = 32;

export class BotNames {
  private readonly names: ReadonlySet<string>;
  /** Per first character code, a bit per length of the bots' names. */
  private readonly shapes = new Uint32Array(FIRST_CHARS);

  private constructor(names: ReadonlySet<string>) {
    this.names = names;
    for (const name of names) {
      const first = name.charCodeAt(0);
      if (first < FIRST_CHARS && name.length < MAX_LENGTH) this.shapes[first]! |= 1 << name.length;
    }
  }

  /** The table for `names`, built once per set: every channel's filter shares it. */
  static of(names: ReadonlySet<string>): BotNames {
    let bots = built.get(names);
    if (!bots) built.set(names, (bots = new BotNames(names)));
    return bots;
  }

  has(user: string): boolean {
    const first = user.charCodeAt(0);
    const length = user.length;
    // A name outside the table's range (or empty: NaN) is looked up.
    const tabled = first < FIRST_CHARS && length < MAX_LENGTH;
    if (tabled && ((this.shapes[first]! >>> length) & 1) === 0) return false;
    return this.names.has(user);
  }
}

const built = new WeakMap<ReadonlySet<string>, BotNames>();
