// A chat message with the flags and extras of plain chat (no badges, bits, emotes...), for the
// benchmarks' synthetic traffic: only what differs per message is given.
import type { ChatMessage } from '../src/events/schema.ts';

export type PlainChatFields = Pick<
  ChatMessage,
  'id' | 'channel_id' | 'channel' | 'user_id' | 'user' | 'text' | 'ts'
> &
  Partial<ChatMessage>;

export function plainChat(fields: PlainChatFields): ChatMessage {
  return {
    v: 1,
    type: 'chat',
    emotes: [],
    badges: {},
    bits: 0,
    first_msg: false,
    returning: false,
    mod: false,
    sub: false,
    vip: false,
    ...fields,
  };
}
