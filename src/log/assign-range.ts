// Kafka's range assignor: per topic, consecutive partitions to each member in order. Topics
// with equal partition counts are co-partitioned: partition p of every topic goes to the same
// member, so a channel's chat and lifecycle events meet in one processor.
import type { TopicPartition } from './event-log.ts';

export function assignRange(partitions: TopicPartition[], members: number): TopicPartition[][] {
  const plan: TopicPartition[][] = Array.from({ length: members }, () => []);
  if (members === 0) return plan;
  const byTopic = Map.groupBy(partitions, (tp) => tp.topic);
  for (const topicPartitions of byTopic.values()) {
    const sorted = [...topicPartitions].sort((a, b) => a.partition - b.partition);
    const base = Math.floor(sorted.length / members);
    const extra = sorted.length % members;
    let next = 0;
    for (let member = 0; member < members; member++) {
      const count = base + (member < extra ? 1 : 0);
      plan[member]!.push(...sorted.slice(next, next + count));
      next += count;
    }
  }
  return plan;
}
