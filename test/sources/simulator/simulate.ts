// Test helpers: run the simulator over a span and look at what came out.
import type { ChatMessage, StreamEvent } from '../../../src/events/schema.ts';
import { ChatSimulator } from '../../../src/sources/simulator/chat-simulator.ts';
import type { SimulatorOptions } from '../../../src/sources/simulator/options.ts';

export const START_TS = Date.parse('2026-01-01T00:00:00Z');

export interface Run {
  simulator: ChatSimulator;
  events: StreamEvent[];
}

export function simulate(options: Partial<SimulatorOptions>, durationS: number): Run {
  const simulator = new ChatSimulator({ seed: 1, channels: 10, startTs: START_TS, ...options });
  const from = simulator.options.startTs;
  return { simulator, events: [...simulator.events(from, from + durationS * 1000)] };
}

export function chatOf(events: readonly StreamEvent[], channelId?: string): ChatMessage[] {
  return events.filter(
    (event): event is ChatMessage =>
      event.type === 'chat' && (channelId === undefined || event.channel_id === channelId),
  );
}

/** Messages per second of a channel, one entry per second from `fromTs`. */
export function perSecondCounts(
  messages: readonly ChatMessage[],
  fromTs: number,
  seconds: number,
): number[] {
  const counts = new Array<number>(seconds).fill(0);
  for (const message of messages) {
    const second = Math.floor((message.ts - fromTs) / 1000);
    if (second >= 0 && second < seconds) counts[second] = (counts[second] as number) + 1;
  }
  return counts;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function variance(values: readonly number[]): number {
  const average = mean(values);
  return values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1);
}
