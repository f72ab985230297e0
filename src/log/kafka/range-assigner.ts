// Kafka's range assignment for @platformatic/kafka's group leader (its default is round-robin):
// the same plan as the in-process log, members in member-id order as Kafka's RangeAssignor.
import type { GroupPartitionsAssigner, GroupPartitionsAssignments } from '@platformatic/kafka';
import { assignRange } from '../assign-range.ts';

export const rangeAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const memberIds = [...members.keys()].sort();
  const partitions = [...topics].flatMap((topic) =>
    Array.from({ length: metadata.topics.get(topic)?.partitionsCount ?? 0 }, (_, partition) => ({
      topic,
      partition,
    })),
  );
  const plan = assignRange(partitions, memberIds.length);
  return memberIds.map((memberId, index): GroupPartitionsAssignments => {
    const assignments = new Map<string, { topic: string; partitions: number[] }>();
    for (const { topic, partition } of plan[index] ?? []) {
      const entry = assignments.get(topic) ?? { topic, partitions: [] };
      entry.partitions.push(partition);
      assignments.set(topic, entry);
    }
    return { memberId, assignments };
  });
};
