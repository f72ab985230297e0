// Records on Kafka: the key is the channel id, the value the canonical event as JSON (the same
// text as a JSONL line), validated on the way in like every other input.
import type { KafkaRecord } from '@platformatic/kafka';
import { decodeEvent, type Decoded } from '../../events/decode.ts';
import type { StreamEvent } from '../../events/schema.ts';

export function encodeValue(event: StreamEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}

export function decodeValue(record: KafkaRecord): Decoded {
  if (record.value === null) return { ok: false, reason: 'record has no value' };
  return decodeEvent(record.value.toString('utf8'));
}
