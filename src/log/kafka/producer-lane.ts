// One idempotent producer and the records queued for it. The library runs an idempotent
// producer with one request in flight (that is how it keeps each partition's sequence numbers
// in order), so one producer spends most of a send waiting for the broker's answer. The log
// spreads partitions over several lanes instead: each lane is its own producer (own producer id,
// own connection, own sequences) and owns a fixed share of the partitions, so several requests
// are in flight at once while every partition still has exactly one writer, in call order.
import { Producer, ProduceAcks } from '@platformatic/kafka';

export type LaneMessage = Parameters<Producer['send']>[0]['messages'][number];

/**
 * Below the broker's default message.max.bytes (1 MiB) per request, so one partition receiving
 * a whole request still fits in one record batch.
 */
const MAX_REQUEST_BYTES = 900 * 1024;

export class ProducerLane {
  readonly producer: Producer;
  /** This lane's sends, one after another: its partitions keep the order of `enqueue` calls. */
  private sending: Promise<void> = Promise.resolve();

  constructor(options: { clientId: string; bootstrapBrokers: string[] }) {
    this.producer = new Producer({ ...options, idempotent: true, acks: ProduceAcks.ALL });
  }

  /** Queues `messages` behind this lane's earlier ones; resolves once the broker has them. */
  enqueue(messages: LaneMessage[]): Promise<void> {
    const sent = this.sending.then(() => this.sendInRequests(messages));
    // A failed send is its caller's to see; the lane goes on with the next one.
    this.sending = sent.catch(() => {});
    return sent;
  }

  async close(): Promise<void> {
    await this.sending;
    await this.producer.close();
  }

  private async sendInRequests(messages: LaneMessage[]): Promise<void> {
    let chunk: LaneMessage[] = [];
    let bytes = 0;
    for (const message of messages) {
      const size = (message.key as Buffer).length + (message.value as Buffer).length;
      if (bytes + size > MAX_REQUEST_BYTES && chunk.length > 0) {
        await this.producer.send({ messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push(message);
      bytes += size;
    }
    if (chunk.length > 0) await this.producer.send({ messages: chunk });
  }
}
