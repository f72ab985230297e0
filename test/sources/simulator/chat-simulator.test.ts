import { beforeAll, describe, expect, it } from 'vitest';
import {
  EventSchema,
  type ChatMessage,
  type Lifecycle,
  type StreamEvent,
} from '../../../src/events/schema.ts';
import { ChatSimulator } from '../../../src/sources/simulator/chat-simulator.ts';
import { EVERYDAY_EMOTES, MOOD_EMOTES } from '../../../src/sources/simulator/emotes.ts';
import type { Highlight } from '../../../src/sources/simulator/highlights.ts';
import { CHAT_BOT_LOGINS } from '../../../src/sources/simulator/users.ts';
import {
  START_TS,
  chatOf,
  mean,
  perSecondCounts,
  simulate,
  variance,
  type Run,
} from './simulate.ts';

const serialize = (events: readonly StreamEvent[]): string =>
  events.map((event) => JSON.stringify(event)).join('\n');

describe('ChatSimulator determinism', () => {
  const options = { seed: 5, channels: 6 };

  it('gives the same events for the same seed and options', () => {
    expect(serialize(simulate(options, 300).events)).toBe(serialize(simulate(options, 300).events));
  });

  it('gives the same events however the time range is split into calls', () => {
    const whole = serialize(simulate(options, 300).events);
    const simulator = new ChatSimulator({ ...options, startTs: START_TS });
    const pieces: StreamEvent[] = [];
    // Cuts mid-second, on second boundaries, empty ranges and one long range.
    const cuts = [0, 1, 999, 1000, 1001, 1001, 7_333, 60_000, 61_500, 200_250, 300_000];
    for (let i = 1; i < cuts.length; i++) {
      pieces.push(
        ...simulator.events(START_TS + (cuts[i - 1] as number), START_TS + (cuts[i] as number)),
      );
    }
    expect(serialize(pieces)).toBe(whole);
  });

  it('gives different events for a different seed', () => {
    expect(serialize(simulate({ ...options, seed: 6 }, 60).events)).not.toBe(
      serialize(simulate(options, 60).events),
    );
  });

  it('skips a gap between calls but refuses to go back in time', () => {
    const simulator = new ChatSimulator({ ...options, startTs: START_TS });
    const later = [...simulator.events(START_TS + 120_000, START_TS + 180_000)];
    const whole = simulate(options, 180).events.filter((event) => event.ts >= START_TS + 120_000);
    expect(serialize(later)).toBe(serialize(whole));
    expect(() => [...simulator.events(START_TS, START_TS + 1000)]).toThrow(RangeError);
  });
});

describe('ChatSimulator output', () => {
  const durationS = 1800;
  let run: Run;
  let chat: ChatMessage[];
  let truth: Highlight[];

  beforeAll(() => {
    run = simulate({ seed: 21, channels: 20 }, durationS);
    chat = chatOf(run.events);
    // Highlights cut off by the end of the run are only partly in the data.
    truth = run.simulator.highlights().filter((h) => h.end_ts <= START_TS + durationS * 1000);
  });

  it('emits only valid canonical events, complete (parsing adds no defaults)', () => {
    for (const event of run.events) {
      const parsed = EventSchema.safeParse(event);
      if (!parsed.success) throw new Error(`${JSON.stringify(event)}: ${parsed.error.message}`);
      expect(parsed.data).toEqual(event);
    }
    expect(run.events.length).toBeGreaterThan(50_000);
  });

  it('emits events in time order inside the asked range', () => {
    let previous = START_TS;
    for (const event of run.events) {
      expect(event.ts).toBeGreaterThanOrEqual(previous);
      previous = event.ts;
    }
    expect(previous).toBeLessThan(START_TS + durationS * 1000);
  });

  it('announces every stream online at the start, most of them live for a while already', () => {
    const online = run.events.filter(
      (e): e is Lifecycle => e.type === 'lifecycle' && e.kind === 'online' && e.ts === START_TS,
    );
    expect(online.map((event) => event.channel_id).sort()).toEqual(
      run.simulator.channels.map((c) => c.id).sort(),
    );
    for (const event of online) {
      expect(event.stream_id).toMatch(/^\d{11,12}$/);
      expect(event.title && event.game && event.language).toBeTruthy();
      expect(event.started_at).toBeLessThanOrEqual(START_TS);
    }
    const inProgress = online.filter((event) => (event.started_at as number) < START_TS - 600_000);
    expect(inProgress.length).toBeGreaterThan(online.length / 2);
  });

  it('reports viewers once a minute per live channel', () => {
    for (const channel of run.simulator.channels) {
      const samples = run.events.filter((e) => e.type === 'viewers' && e.channel_id === channel.id);
      expect(samples.length).toBeGreaterThanOrEqual(durationS / 60 - 1);
      expect(samples.length).toBeLessThanOrEqual(durationS / 60);
      const gaps = samples.slice(1).map((sample, i) => sample.ts - (samples[i] as StreamEvent).ts);
      expect(new Set(gaps)).toEqual(new Set([60_000]));
    }
  });

  it('has chat rates two orders of magnitude apart across channels', () => {
    const rates = run.simulator.channels.map(
      (channel) => chatOf(run.events, channel.id).length / durationS,
    );
    expect(Math.max(...rates) / Math.min(...rates)).toBeGreaterThanOrEqual(100);
  });

  it('is over-dispersed: per-second counts vary more than Poisson on a steady channel', () => {
    const steady = run.simulator.channels.filter(
      (channel) => channel.chatRate > 2 && channel.chatRate < 40,
    );
    expect(steady.length).toBeGreaterThan(0);
    for (const channel of steady) {
      const counts = perSecondCounts(chatOf(run.events, channel.id), START_TS, durationS);
      // Only seconds outside planted highlights: bursts alone would make this trivially true.
      const quiet = counts.filter(
        (_, second) => !inHighlight(truth, channel.id, START_TS + second * 1000),
      );
      // Poisson gives 1 (± 0.03 over 1800 s); gamma-Poisson counts on a wandering rate, clearly more.
      expect(variance(quiet) / mean(quiet)).toBeGreaterThan(1.2);
    }
  });

  it('tags every emote at its position in the text, and every emote in the text', () => {
    const known = new Set(
      [...EVERYDAY_EMOTES, ...Object.values(MOOD_EMOTES).flat()].map((emote) => emote.name),
    );
    for (const channel of run.simulator.channels)
      for (const emote of channel.emotes) known.add(emote.name);
    let emotes = 0;
    for (const message of chat) {
      for (const emote of message.emotes) {
        expect(message.text.slice(emote.start, emote.end + 1)).toBe(emote.name);
        emotes += 1;
      }
      const tagged = new Set(message.emotes.map((emote) => emote.start));
      let at = 0;
      for (const word of message.text.split(' ')) {
        if (known.has(word))
          expect(tagged.has(at), `${word} untagged in "${message.text}"`).toBe(true);
        at += word.length + 1;
      }
    }
    expect(emotes).toBeGreaterThan(chat.length / 2);
    // Emoji before an emote: UTF-16 indices differ from code point indices there.
    expect(
      chat.some(
        (m) =>
          m.emotes.length > 0 && /[\u{1F300}-\u{1FAFF}]/u.test(m.text.slice(0, m.emotes[0]?.start)),
      ),
    ).toBe(true);
  });

  it('plants highlights: many distinct chatters, rate far above the minutes before', () => {
    expect(truth.length).toBeGreaterThanOrEqual(20);
    const ratios: number[] = [];
    for (const highlight of truth) {
      const messages = chatOf(run.events, highlight.channel_id);
      const during = messages.filter((m) => m.ts >= highlight.start_ts && m.ts < highlight.end_ts);
      expect(during.length).toBeGreaterThanOrEqual(10);
      expect(new Set(during.map((m) => m.user_id)).size).toBeGreaterThanOrEqual(8);
      expect(highlight.peak_ts).toBeGreaterThan(highlight.start_ts);
      expect(highlight.end_ts).toBeGreaterThan(highlight.peak_ts);
      expect(highlight.intensity).toBeGreaterThanOrEqual(3);
      const peakRate = countIn(messages, highlight.peak_ts - 2000, highlight.peak_ts + 3000) / 5;
      const before = countIn(messages, highlight.start_ts - 120_000, highlight.start_ts) / 120;
      ratios.push(peakRate / Math.max(before, 0.05));
    }
    ratios.sort((a, b) => a - b);
    expect(ratios[Math.floor(ratios.length * 0.1)]).toBeGreaterThan(2);
    expect(ratios[Math.floor(ratios.length / 2)]).toBeGreaterThan(4);
  });

  it('plants no highlight during the warm-up or in a second already past', () => {
    for (const highlight of truth) {
      expect(highlight.start_ts).toBeGreaterThanOrEqual(START_TS + 300_000);
      expect((highlight.start_ts - START_TS) % 1000).toBe(0);
    }
    const planted = run.simulator.highlights();
    planted.pop();
    expect(run.simulator.highlights()).toHaveLength(planted.length + 1);
  });

  it('has commands answered by the channel bot, and bots flagged as moderators', () => {
    const commands = chat.filter((m) => m.text.startsWith('!'));
    expect(commands.length).toBeGreaterThan(100);
    const bots = chat.filter((m) => CHAT_BOT_LOGINS.includes(m.user));
    expect(bots.length).toBeGreaterThan(20);
    for (const bot of bots) expect(bot.mod && bot.badges.moderator === '1').toBe(true);
    expect(bots.some((m) => / has been live for /.test(m.text))).toBe(true);
  });

  it('flags first messages once per chatter and channel, and replies to earlier messages', () => {
    const seen = new Set<string>();
    const ids = new Map<string, string>();
    let replies = 0;
    for (const message of chat) {
      const key = `${message.channel_id}/${message.user_id}`;
      if (message.first_msg) expect(seen.has(key), `second first_msg for ${key}`).toBe(false);
      seen.add(key);
      if (message.reply_to !== undefined) {
        expect(ids.get(message.reply_to)).toBe(message.channel_id);
        replies += 1;
      }
      ids.set(message.id, message.channel_id);
    }
    expect(replies).toBeGreaterThan(100);
    expect(chat.some((m) => m.first_msg)).toBe(true);
    expect(new Set(chat.map((m) => m.id)).size).toBe(chat.length);
  });

  it('announces subscriptions and gifts', () => {
    const kinds = new Set(run.events.flatMap((e) => (e.type === 'notice' ? [e.kind] : [])));
    expect(kinds).toEqual(new Set(['sub', 'resub', 'subgift', 'submysterygift', 'raid']));
  });
});

describe('ChatSimulator episodes that are not highlights', () => {
  it('spams from one user repeating one line, and moderators time them out', () => {
    const { events } = simulate({ seed: 3, channels: 8, spamEveryS: { min: 300, max: 400 } }, 1800);
    const timeouts = events.filter(
      (e) => e.type === 'moderation' && e.kind === 'clearchat' && e.duration_s === 600,
    );
    expect(timeouts.length).toBeGreaterThan(5);
    for (const timeout of timeouts) {
      const burst = chatOf(events, timeout.channel_id).filter(
        (m) =>
          m.user_id === (timeout as { user_id: string }).user_id &&
          m.ts > timeout.ts - 90_000 &&
          m.ts < timeout.ts,
      );
      // Spammers dodge Twitch's duplicate check with an invisible character: the line is the same.
      const lines = new Map<string, number>();
      for (const message of burst) {
        const line = message.text.replaceAll('\u{E0000}', '').trim();
        lines.set(line, (lines.get(line) ?? 0) + 1);
      }
      expect(Math.max(...lines.values())).toBeGreaterThanOrEqual(10);
      expect(burst.some((m) => m.text.includes('\u{E0000}'))).toBe(true);
    }
  });

  it('brings raids: a notice, then many chatters from the raiding channel, first-timers on a first raid', () => {
    const { events, simulator } = simulate(
      { seed: 4, channels: 6, raidEveryS: { min: 600, max: 900 } },
      1800,
    );
    const raids = events.filter((e) => e.type === 'notice' && e.kind === 'raid');
    expect(raids.length).toBeGreaterThan(3);
    let firstTimers = 0;
    for (const raid of raids) {
      if (raid.type !== 'notice') continue;
      expect(raid.viewers).toBeGreaterThan(0);
      expect(raid.text).toMatch(/raiders from .* have joined!/);
      const channel = simulator.channels.find((c) => c.id === raid.channel_id);
      const pool = new Set(
        Array.from({ length: channel?.chatters.size ?? 0 }, (_, slot) =>
          channel?.chatters.id(slot),
        ),
      );
      const raiders = chatOf(events, raid.channel_id).filter(
        (m) =>
          m.ts >= raid.ts &&
          m.ts < raid.ts + 60_000 &&
          !pool.has(m.user_id) &&
          m.user !== raid.user,
      );
      expect(new Set(raiders.map((m) => m.user_id)).size).toBeGreaterThanOrEqual(3);
      firstTimers += raiders.filter((m) => m.first_msg).length;
    }
    expect(firstTimers).toBeGreaterThan(raids.length * 3);
  });

  it('has giveaways: many chatters typing the same command', () => {
    const { events } = simulate(
      { seed: 5, channels: 6, giveawayEveryS: { min: 400, max: 500 } },
      1800,
    );
    const announcements = chatOf(events).filter((m) => m.text.startsWith('Giveaway is open!'));
    expect(announcements.length).toBeGreaterThan(3);
    for (const announcement of announcements) {
      const command = /Type (!\w+)/.exec(announcement.text)?.[1];
      const entries = chatOf(events, announcement.channel_id).filter(
        (m) => m.text === command && m.ts > announcement.ts && m.ts < announcement.ts + 60_000,
      );
      expect(new Set(entries.map((m) => m.user_id)).size).toBe(entries.length);
      expect(entries.length).toBeGreaterThanOrEqual(10);
    }
  });
});

describe('ChatSimulator broadcasts', () => {
  it('ends streams and starts new ones, with no highlight while offline', () => {
    const { events, simulator } = simulate(
      {
        seed: 8,
        channels: 5,
        streamLengthS: { min: 900, max: 1200 },
        offlineGapS: { min: 120, max: 240 },
        freshStartShare: 1,
      },
      2400,
    );
    for (const channel of simulator.channels) {
      const lifecycle = events.filter(
        (e): e is Lifecycle => e.type === 'lifecycle' && e.channel_id === channel.id,
      );
      const kinds = lifecycle.filter((e) => e.kind === 'online' || e.kind === 'offline');
      expect(kinds.map((e) => e.kind).slice(0, 3)).toEqual(['online', 'offline', 'online']);
      const [first, offline, second] = kinds as [Lifecycle, Lifecycle, Lifecycle];
      expect(second.stream_id).not.toBe(first.stream_id);
      expect(second.started_at).toBe(second.ts);
      for (const highlight of simulator.highlights().filter((h) => h.channel_id === channel.id)) {
        const offlineSpan = highlight.start_ts >= offline.ts && highlight.start_ts < second.ts;
        expect(offlineSpan).toBe(false);
        expect(highlight.start_ts >= second.ts + 300_000 || highlight.end_ts <= offline.ts).toBe(
          true,
        );
      }
      // A fresh stream ramps up: its first minute is quieter than its tenth.
      const messages = chatOf(events, channel.id);
      expect(countIn(messages, START_TS, START_TS + 60_000)).toBeLessThan(
        countIn(messages, START_TS + 540_000, START_TS + 600_000),
      );
    }
  });

  it('rejects meaningless options with a clear reason', () => {
    expect(() => new ChatSimulator({ seed: 1, channels: 0, startTs: START_TS })).toThrow(
      /channels/,
    );
    expect(
      () =>
        new ChatSimulator({
          seed: 1,
          channels: 2,
          startTs: START_TS,
          highlightEveryS: { min: 10, max: 5 },
        }),
    ).toThrow(/highlightEveryS/);
    expect(() => new ChatSimulator({ seed: 1.5, channels: 2, startTs: START_TS })).toThrow(/seed/);
  });
});

function inHighlight(truth: readonly Highlight[], channelId: string, ts: number): boolean {
  return truth.some(
    (h) => h.channel_id === channelId && ts >= h.start_ts - 5000 && ts < h.end_ts + 5000,
  );
}

function countIn(messages: readonly ChatMessage[], fromTs: number, toTs: number): number {
  let count = 0;
  for (const message of messages) if (message.ts >= fromTs && message.ts < toTs) count += 1;
  return count;
}
