// Topic names are part of the public interface (kept from the seed deployment).
import type { StreamEvent } from '../events/schema.ts';

export const CHAT_TOPIC = 'chat-messages';
export const LIFECYCLE_TOPIC = 'stream-lifecycle';
export const TOPICS = [CHAT_TOPIC, LIFECYCLE_TOPIC] as const;

/** Chat, notices and moderation travel together so their order per channel is kept. */
export function topicFor(event: StreamEvent): string {
  return event.type === 'lifecycle' || event.type === 'viewers' ? LIFECYCLE_TOPIC : CHAT_TOPIC;
}

export interface TopicDefaults {
  partitions: number;
  /** Kafka's retention.ms: how long records stay for replays and state rebuilds. */
  retentionMs: number;
}

const HOUR_MS = 3_600_000;

/**
 * How topics are created on Kafka when missing (an existing topic is left as it is).
 * - chat-messages, 20 partitions: the unit of parallelism, so up to 20 processors share the
 *   chat; a channel's chat stays in one partition (keyed by channel id), so its order holds.
 *   Kept 6 h: a processor taking over a partition replays `stateRebuildWindowMs` (minutes) and
 *   an operator can re-run the last hours after a fix; the archive keeps chat for longer.
 * - stream-lifecycle, 5 partitions, 7 days: a few events per stream per minute, and a stream's
 *   last online / title / game events must outlive a long stream and a weekend outage.
 * The in-process log takes its partition count from LOG_PARTITIONS instead.
 */
export const KAFKA_TOPIC_DEFAULTS: Record<(typeof TOPICS)[number], TopicDefaults> = {
  [CHAT_TOPIC]: { partitions: 20, retentionMs: 6 * HOUR_MS },
  [LIFECYCLE_TOPIC]: { partitions: 5, retentionMs: 7 * 24 * HOUR_MS },
};
