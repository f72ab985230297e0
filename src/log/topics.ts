// Topic names are part of the public interface (kept from the seed deployment).
import type { StreamEvent } from '../events/schema.ts';

export const CHAT_TOPIC = 'chat-messages';
export const LIFECYCLE_TOPIC = 'stream-lifecycle';
export const TOPICS = [CHAT_TOPIC, LIFECYCLE_TOPIC] as const;

/** Chat, notices and moderation travel together so their order per channel is kept. */
export function topicFor(event: StreamEvent): string {
  return event.type === 'lifecycle' || event.type === 'viewers' ? LIFECYCLE_TOPIC : CHAT_TOPIC;
}
