// The run's Kafka broker (see global-setup.ts), or the one line that says why there is none.
import { inject } from 'vitest';

export interface TestKafka {
  brokers: string[] | undefined;
  /** Set when `brokers` is not: printed once per file by the tests that skip. */
  skipReason: string | undefined;
}

export function testKafka(): TestKafka {
  const brokers = inject('kafkaBrokers');
  const skipReason = brokers === '' ? inject('kafkaSkipReason') : undefined;
  if (skipReason !== undefined) console.warn(`Kafka tests: skipped, ${skipReason}`);
  return { brokers: brokers === '' ? undefined : brokers.split(','), skipReason };
}
