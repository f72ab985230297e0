import { describe, expect, it } from 'vitest';
import { DetectionEngine } from '../../src/processing/detection-engine.ts';
import { momentId } from '../../src/processing/moment.ts';
import { chat, lcg } from '../support/chat.ts';
import type { ChatMessage } from '../../src/events/schema.ts';
import type { Moment } from '../../src/processing/moment.ts';

const T0 = 1_700_000_000_000;

/** Steady chat of ~`rate` msg/s from a pool of 200 chatters, plus a burst of `burstChatters` at `burstAt` s. */
function stream(options: {
  seconds: number;
  rate: number;
  burstAt?: number;
  burstChatters?: number;
  seed?: number;
}): ChatMessage[] {
  const random = lcg(options.seed ?? 1);
  const events: ChatMessage[] = [];
  for (let second = 0; second < options.seconds; second++) {
    const base = T0 + second * 1000;
    const count = Math.floor(options.rate * 2 * random());
    for (let i = 0; i < count; i++) {
      events.push(
        chat({
          ts: base + Math.floor(random() * 1000),
          user: `regular${Math.floor(random() * 200)}`,
        }),
      );
    }
    const burst =
      options.burstAt !== undefined && second >= options.burstAt && second < options.burstAt + 8;
    if (burst) {
      for (let i = 0; i < (options.burstChatters ?? 0) / 8; i++) {
        events.push(
          chat({
            ts: base + Math.floor(random() * 1000),
            user: `crowd${second}-${i}`,
            text: 'KEKW KEKW',
            emotes: [
              { id: '1', name: 'KEKW', start: 0, end: 3 },
              { id: '1', name: 'KEKW', start: 5, end: 8 },
            ],
          }),
        );
      }
    }
  }
  return events.sort((a, b) => a.ts - b.ts);
}

function detect(events: ChatMessage[], options = {}) {
  const engine = new DetectionEngine(options);
  for (const event of events) engine.ingest(event);
  engine.flush();
  return { engine, ...engine.drain() };
}

describe('DetectionEngine', () => {
  it('finds a crowd reacting and explains it', () => {
    const { moments } = detect(stream({ seconds: 300, rate: 2, burstAt: 200, burstChatters: 120 }));
    expect(moments).toHaveLength(1);
    const [moment] = moments;
    expect(moment!.start_ts).toBeGreaterThanOrEqual(T0 + 199_000);
    expect(moment!.start_ts).toBeLessThanOrEqual(T0 + 202_000);
    expect(moment!.end_ts).toBeLessThanOrEqual(T0 + 212_000);
    expect(moment!.peak_ts).toBeGreaterThanOrEqual(moment!.start_ts);
    expect(moment!.id).toBe(momentId('1001', moment!.start_ts));
    expect(moment!.explanation.top_emotes[0]).toEqual({ name: 'KEKW', count: expect.any(Number) });
    expect(moment!.explanation.top_phrases[0]!.name).toBe('KEKW KEKW');
    expect(moment!.explanation.unique_chatters).toBeGreaterThanOrEqual(100);
    expect(moment!.explanation.summary).toMatch(
      /^\d+ chatters reacted, [\d.]+x the usual; top emote KEKW; "KEKW KEKW"$/,
    );
  });

  it('stays quiet on steady chat', () => {
    const { moments } = detect(stream({ seconds: 900, rate: 3 }));
    expect(moments).toEqual([]);
  });

  it('ignores one spammer and command floods', () => {
    const events = stream({ seconds: 300, rate: 1 });
    for (let i = 0; i < 200; i++) {
      events.push(chat({ ts: T0 + 200_000 + i * 50, user: 'spammer', text: `BUY FOLLOWERS ${i}` }));
      events.push(chat({ ts: T0 + 200_000 + i * 50, user: `fan${i}`, text: '!drop' }));
    }
    const { moments } = detect(events.sort((a, b) => a.ts - b.ts));
    expect(moments).toEqual([]);
  });

  it('gives the same moments whatever the arrival order within the lateness', () => {
    const events = stream({ seconds: 300, rate: 2, burstAt: 150, burstChatters: 100, seed: 3 });
    // Delay each event by up to 4 s of arrival time: late, but within the 5 s allowed lateness.
    const random = lcg(9);
    const arrival = new Map(events.map((event) => [event, event.ts + random() * 4000]));
    const shuffled = [...events].sort((a, b) => arrival.get(a)! - arrival.get(b)!);
    expect(shuffled).not.toEqual(events);
    const reordered = detect(shuffled);
    expect(reordered.engine.counters().late).toBe(0);
    expect(reordered.moments).toEqual(detect(events).moments);
  });

  it('counts events older than the watermark as late and drops them', () => {
    const events = stream({ seconds: 60, rate: 2 });
    events.push(chat({ ts: T0 + 1_000 }));
    const { engine } = detect(events);
    expect(engine.counters().late).toBe(1);
  });

  it('emits live metrics every 10 s over the last minute', () => {
    const events = stream({ seconds: 120, rate: 4 });
    const { metrics } = detect(events);
    expect(metrics.length).toBeGreaterThanOrEqual(10);
    for (const window of metrics) expect(window.ts % 10_000).toBe(0);
    const last = metrics[metrics.length - 1]!;
    expect(last.chat_rate).toBeGreaterThan(2);
    expect(last.chat_rate).toBeLessThan(6);
    expect(last.unique_chatters).toBeGreaterThan(50);
    expect(last.window_ms).toBe(60_000);
  });
});

describe('ChatFilter', () => {
  it('treats invisible characters, case and spacing as the same text', async () => {
    const { ChatFilter } = await import('../../src/processing/chat-filter.ts');
    const { NOISE } = await import('../../src/processing/pending-chat.ts');
    const { chatterKey, sayingKey } = await import('../../src/processing/chatter-key.ts');
    const filter = new ChatFilter();
    const accepts = (fields: Parameters<typeof chat>[0] & { ts: number }): boolean => {
      const message = chat(fields);
      const flags = filter.isNoise(message) ? NOISE : 0;
      return filter.accepts(
        sayingKey(chatterKey(message.user_id), message.text),
        flags,
        message.ts,
      );
    };
    const base = { user: 'spammer', text: 'BUY FOLLOWERS now' };
    expect(accepts({ ts: 0, ...base })).toBe(true);
    expect(accepts({ ts: 1_000, ...base, text: 'buy  followers now \u{E0000}' })).toBe(false);
    expect(accepts({ ts: 2_000, ...base, text: 'something else' })).toBe(true);
    expect(accepts({ ts: 25_000, ...base, text: 'Something   ELSE' })).toBe(false);
    // Two windows later the same text counts again.
    expect(accepts({ ts: 70_000, ...base, text: 'something else' })).toBe(true);
    expect(accepts({ ts: 71_000, user: 'nightbot', text: 'hi' })).toBe(false);
    expect(accepts({ ts: 72_000, user: 'fan', text: '!drops' })).toBe(false);
    expect(accepts({ ts: 73_000, user: 'fan', text: '! not a command' })).toBe(true);
  });

  it('judges alike with its state in shared columns, beside other filters', async () => {
    const { ChatFilter } = await import('../../src/processing/chat-filter.ts');
    const { ChannelColumns } = await import('../../src/processing/channel-columns.ts');
    const { FIRST_MESSAGE } = await import('../../src/processing/pending-chat.ts');
    const columns = new ChannelColumns(0, ChatFilter.floats + 1);
    const slots = [columns.allocate(), columns.allocate()];
    const shared = slots.map(
      (slot) => new ChatFilter({}, columns, slot * columns.floatsPerSlot + 1),
    );
    const alone = slots.map(() => new ChatFilter());
    const random = lcg(9);
    let ts = 1_700_000_000_000;
    for (let step = 0; step < 2_000; step++) {
      ts += Math.floor(random() * 3_000);
      const k = step % 2;
      if (random() < 0.01) {
        shared[k]!.raided(ts);
        alone[k]!.raided(ts);
      }
      const said = Math.floor(random() * 30);
      const flags = random() < 0.3 ? FIRST_MESSAGE : 0;
      expect(shared[k]!.accepts(said, flags, ts)).toBe(alone[k]!.accepts(said, flags, ts));
    }
  });
});

describe('emote bursts', () => {
  /** Steady chat at 4 msg/s from 400 chatters; from `burstAt` for 15 s most messages are KEKW. */
  function emoteStream(burstAt: number): ChatMessage[] {
    const random = lcg(9);
    const events: ChatMessage[] = [];
    for (let second = 0; second < 400; second++) {
      const burst = second >= burstAt && second < burstAt + 15;
      for (let i = 0; i < 4; i++) {
        const emote = random() < (burst ? 0.95 : 0.1);
        const ts = T0 + second * 1000 + i * 250;
        const user = `viewer${Math.floor(random() * 400)}`;
        events.push(
          emote
            ? chat({
                ts,
                user,
                text: `KEKW ${second}`,
                emotes: [{ id: '1', name: 'KEKW', start: 0, end: 3 }],
              })
            : chat({ ts, user, text: `talking about the game ${second}` }),
        );
      }
    }
    return events;
  }

  it('finds a steady chat suddenly all posting one emote, which counting chatters misses', () => {
    const events = emoteStream(300);
    const chattersOnly = detect(events, { detector: { signals: [] } });
    expect(chattersOnly.moments).toEqual([]);

    const { moments } = detect(events);
    expect(moments).toHaveLength(1);
    const [moment] = moments;
    expect(moment!.start_ts).toBeGreaterThanOrEqual(T0 + 295_000);
    expect(moment!.peak_ts).toBeLessThan(T0 + 316_000);
    expect(moment!.explanation.signal).toBe('emotes');
    expect(moment!.explanation.top_emotes[0]).toMatchObject({ name: 'KEKW' });
    expect(moment!.explanation.summary).toMatch(/^Emote burst/);
  });
});

describe('message rate as an optional signal', () => {
  it('finds the same few chatters suddenly typing six times as fast, when asked to', () => {
    const random = lcg(5);
    const events: ChatMessage[] = [];
    for (let second = 0; second < 400; second++) {
      const excited = second >= 300 && second < 315;
      for (let chatter = 0; chatter < 10; chatter++) {
        if (random() >= (excited ? 2 : 0.3)) continue;
        const sends = excited ? 2 : 1;
        for (let i = 0; i < sends; i++) {
          const ts = T0 + second * 1000 + chatter * 90 + i * 400;
          events.push(chat({ ts, user: `regular${chatter}`, text: `line ${second} ${i}` }));
        }
      }
    }
    expect(detect(events).moments).toEqual([]);
    const { moments } = detect(events, { detector: { signals: ['emotes', 'messages'] } });
    expect(moments).toHaveLength(1);
    expect(moments[0]!.explanation.signal).toBe('messages');
    expect(moments[0]!.start_ts).toBeGreaterThanOrEqual(T0 + 295_000);
    expect(moments[0]!.explanation.summary).toMatch(/^10 chatters sent \d+ messages/);
  });
});

describe('raids', () => {
  it('does not mistake raiders greeting the channel for a highlight', () => {
    const events = stream({ seconds: 300, rate: 1, seed: 4 });
    const raidAt = T0 + 200_000;
    const raid = {
      v: 1 as const,
      type: 'notice' as const,
      id: 'raid-1',
      kind: 'raid' as const,
      channel_id: '1001',
      ts: raidAt,
      viewers: 300,
    };
    for (let i = 0; i < 80; i++) {
      events.push(
        chat({
          ts: raidAt + 500 + i * 100,
          user: `raider${i}`,
          text: 'RAID HYPE',
          first_msg: true,
        }),
      );
    }
    const engine = new DetectionEngine();
    for (const event of [raid, ...events].sort((a, b) => a.ts - b.ts)) engine.ingest(event);
    engine.flush();
    expect(engine.drain().moments).toEqual([]);

    // The same crowd without the raid notice is a moment.
    expect(detect(events.sort((a, b) => a.ts - b.ts)).moments).toHaveLength(1);
  });
});

describe('peaks: when a clip can be taken', () => {
  /** Steady chat, then a crowd that builds, tops out at `top` and fades. */
  function shapedBurst(top: number): ChatMessage[] {
    const events = stream({ seconds: 300, rate: 2 });
    const shape = [0.2, 0.5, 1, 0.6, 0.3, 0.15, 0.1];
    shape.forEach((share, offset) => {
      const second = 200 + offset;
      for (let i = 0; i < Math.round(top * share); i++) {
        events.push(
          chat({ ts: T0 + second * 1000 + i, user: `crowd${second}-${i}`, text: 'no way' }),
        );
      }
    });
    return events.sort((a, b) => a.ts - b.ts);
  }

  /** Feeds the events in time order, advancing the watermark every second, as the processor does. */
  function live(events: ChatMessage[]) {
    const engine = new DetectionEngine({ liveMetrics: false });
    const openings: { moment: Moment; newestTs: number }[] = [];
    const peaks: { moment: Moment; newestTs: number }[] = [];
    const moments: { moment: Moment; newestTs: number }[] = [];
    let second = -Infinity;
    const take = (newestTs: number) => {
      const output = engine.drain();
      for (const moment of output.openings) openings.push({ moment, newestTs });
      for (const moment of output.peaks) peaks.push({ moment, newestTs });
      for (const moment of output.moments) moments.push({ moment, newestTs });
    };
    for (const event of events) {
      engine.ingest(event);
      if (Math.floor(event.ts / 1000) > second) {
        second = Math.floor(event.ts / 1000);
        engine.advanceTo(event.ts);
        take(event.ts);
      }
    }
    engine.flush();
    take(Infinity);
    return { openings, peaks, moments };
  }

  it('reports an open moment once its busiest second is 2 s behind, long before the moment ends', () => {
    const { peaks, moments } = live(shapedBurst(60));
    expect(moments).toHaveLength(1);
    expect(peaks).toHaveLength(1);
    const [peak] = peaks;
    const [ended] = moments;
    // The same moment, under the id it keeps, with the peak it ends with.
    expect(peak!.moment.id).toBe(ended!.moment.id);
    expect(peak!.moment.start_ts).toBe(ended!.moment.start_ts);
    expect(peak!.moment.peak_ts).toBe(T0 + 202_000);
    expect(ended!.moment.peak_ts).toBe(T0 + 202_000);
    expect(peak!.moment.end_ts).toBeLessThanOrEqual(ended!.moment.end_ts);
    // Second 202 closes when the watermark (newest event - 5 s lateness) passes its end; two
    // more seconds must close below it: reported when the newest event is in second 210.
    expect(Math.floor(peak!.newestTs / 1000)).toBe(Math.floor(T0 / 1000) + 210);
    expect(ended!.newestTs - peak!.newestTs).toBeGreaterThanOrEqual(3_000);
  });

  it('waits as long as the crowd keeps growing', () => {
    // Eight seconds of a crowd growing by 6 a second, then calm: the top is the eighth second.
    const events = stream({ seconds: 300, rate: 2 });
    for (let offset = 0; offset < 8; offset++) {
      const second = 200 + offset;
      for (let i = 0; i < 6 * (offset + 1); i++) {
        events.push(chat({ ts: T0 + second * 1000 + i, user: `crowd${second}-${i}` }));
      }
    }
    const { peaks, moments } = live(events.sort((a, b) => a.ts - b.ts));
    expect(peaks.map(({ moment }) => moment.peak_ts)).toEqual([T0 + 207_000]);
    expect(moments.map(({ moment }) => moment.peak_ts)).toEqual([T0 + 207_000]);
    expect(Math.floor(peaks[0]!.newestTs / 1000)).toBe(Math.floor(T0 / 1000) + 215);
  });

  it('adds nothing to what the moments are', () => {
    const events = shapedBurst(60);
    const { moments } = live(events);
    expect(moments.map(({ moment }) => moment)).toEqual(detect(events).moments);
  });
});

describe('openings: a moment shown while it happens', () => {
  it('reports a moment once, when it opens, under the id it closes with', () => {
    const events = stream({ seconds: 300, rate: 2 });
    // A crowd of 40 in one second, 200: the moment opens with the second that holds it.
    for (let i = 0; i < 40; i++) {
      events.push(chat({ ts: T0 + 200_000 + i, user: `crowd-${i}`, text: 'no way' }));
    }
    events.sort((a, b) => a.ts - b.ts);
    const engine = new DetectionEngine({ liveMetrics: false });
    const reported = { openings: [] as Moment[], peaks: [] as Moment[], moments: [] as Moment[] };
    /** The watermark time at which each kind was first reported. */
    const firstAt = new Map<string, number>();
    let next = 0;
    // The watermark is advanced at every whole second, as a processor's is by its partitions.
    for (let now = T0; now <= T0 + 300_000; now += 1000) {
      while (next < events.length && events[next]!.ts < now) engine.ingest(events[next++]!);
      engine.advanceTo(now);
      const output = engine.drain();
      for (const kind of ['openings', 'peaks', 'moments'] as const) {
        if (output[kind].length > 0 && !firstAt.has(kind)) firstAt.set(kind, now);
        reported[kind].push(...output[kind]);
      }
    }

    expect(reported.moments).toHaveLength(1);
    expect(reported.openings).toHaveLength(1);
    const [opening] = reported.openings as [Moment];
    const [ended] = reported.moments as [Moment];
    expect(opening.id).toBe(ended.id);
    expect(opening.start_ts).toBe(ended.start_ts);
    expect(opening.peak_ts).toBe(T0 + 200_000);
    expect(opening.end_ts).toBe(T0 + 201_000);
    expect(opening.explanation.unique_chatters).toBeGreaterThanOrEqual(40);
    expect(reported.peaks.map((peak) => peak.id)).toEqual([ended.id]);
    // Second 200 closes once the watermark (time - 5 s lateness) passes its end: the opening
    // comes with it, 2 s (the peak hold) before the peak report, and long before the end.
    expect(firstAt.get('openings')).toBe(T0 + 206_000);
    expect(firstAt.get('peaks')).toBe(T0 + 208_000);
    expect(firstAt.get('moments')!).toBeGreaterThan(T0 + 220_000);
  });
});
