// Where every source hands over its events: onto the log, keyed by channel id.
import type { StreamEvent } from '../events/schema.ts';
import type { EventLog, OutgoingRecord } from '../log/event-log.ts';
import { topicFor } from '../log/topics.ts';
import type { Metrics } from '../ops/metrics.ts';

export class EventPublisher {
  private readonly log: EventLog;
  private readonly metrics: Metrics;

  constructor(log: EventLog, metrics: Metrics) {
    this.log = log;
    this.metrics = metrics;
  }

  async publish(events: Iterable<StreamEvent>): Promise<number> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    const byType = new Map<string, number>();
    let count = 0;
    for (const event of events) {
      const topic = topicFor(event);
      const records = byTopic.get(topic) ?? [];
      records.push({ key: event.channel_id, value: event, timestamp: event.ts });
      byTopic.set(topic, records);
      byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
      count += 1;
    }
    for (const [topic, records] of byTopic) await this.log.send(topic, records);
    for (const [type, n] of byType) this.metrics.eventsIngested.inc({ type }, n);
    return count;
  }
}
