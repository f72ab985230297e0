// One partition of the in-process log: an append-only run of records with a moving start
// (retention drops the oldest) and offsets that never change.
import type { StreamEvent } from '../../events/schema.ts';
import type { LogRecord, TopicPartition } from '../event-log.ts';

interface Stored {
  key: string;
  value: StreamEvent;
  timestamp: number;
}

export class Partition {
  private records: Stored[] = [];
  /** Offset of records[0]. */
  startOffset = 0;

  get endOffset(): number {
    return this.startOffset + this.records.length;
  }

  append(key: string, value: StreamEvent, timestamp: number): number {
    this.records.push({ key, value, timestamp });
    return this.endOffset - 1;
  }

  /** Records from `from` on; an offset before the retained start reads from the start. */
  read(tp: TopicPartition, from: number, max: number): LogRecord[] {
    const first = Math.max(from, this.startOffset) - this.startOffset;
    const slice = this.records.slice(first, first + max);
    return slice.map((record, index) => ({
      topic: tp.topic,
      partition: tp.partition,
      offset: this.startOffset + first + index,
      ...record,
    }));
  }

  /** First offset whose timestamp is >= `timestamp` (the end offset if none), as Kafka's time index. */
  offsetForTimestamp(timestamp: number): number {
    const index = this.records.findIndex((record) => record.timestamp >= timestamp);
    return index === -1 ? this.endOffset : this.startOffset + index;
  }

  trimBefore(offset: number): void {
    const drop = Math.min(offset, this.endOffset) - this.startOffset;
    if (drop <= 0) return;
    // Drop in chunks, not per commit: splice of a large array is O(n).
    if (drop < 1024 && drop < this.records.length / 4) return;
    this.records = this.records.slice(drop);
    this.startOffset += drop;
  }
}
