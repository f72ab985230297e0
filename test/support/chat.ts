// Builders of canonical events for tests.
import type { ChatMessage } from '../../src/events/schema.ts';

let sequence = 0;

export function chat(overrides: Partial<ChatMessage> & { ts: number; user?: string }): ChatMessage {
  sequence += 1;
  const user = overrides.user ?? `viewer${sequence}`;
  return {
    v: 1,
    type: 'chat',
    id: `m${sequence}`,
    channel_id: '1001',
    channel: 'alpha',
    user_id: `u-${user}`,
    text: 'hello there',
    emotes: [],
    badges: {},
    bits: 0,
    first_msg: false,
    returning: false,
    mod: false,
    sub: false,
    vip: false,
    ...overrides,
    user,
  };
}

/** A deterministic pseudo-random source for test data (not the simulator's). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
