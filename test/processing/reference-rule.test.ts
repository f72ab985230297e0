import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/events/schema.ts';
import { momentId, type Moment } from '../../src/processing/moment.ts';
import { detectWithReferenceRule, ReferenceRule } from '../../src/processing/reference-rule.ts';
import { chat } from '../support/chat.ts';

const T0 = 1_700_000_000_000;

/** Baseline chat alternating 1 and 3 messages a second: mean 2, sample sd sqrt(300 / 299). */
const alternating = (second: number): number => (second % 2 === 0 ? 1 : 3);

/**
 * Chat of one channel, `messagesAt(second)` messages in each of `seconds` seconds (spread over
 * the second), each from a new chatter, sorted by time.
 */
function series(
  seconds: number,
  messagesAt: (second: number) => number,
  text: (second: number) => string = () => 'hello there',
  channel = { channel_id: '1001', channel: 'alpha' },
): ChatMessage[] {
  const events: ChatMessage[] = [];
  for (let second = 0; second < seconds; second++) {
    const count = messagesAt(second);
    for (let i = 0; i < count; i++) {
      const ts = T0 + second * 1000 + Math.floor((i * 1000) / count);
      events.push(chat({ ...channel, ts, text: text(second) }));
    }
  }
  return events;
}

/** Alternating baseline with `burst` messages instead in the seconds of `bursts`. */
function withBursts(bursts: Record<number, number>): (second: number) => number {
  return (second) => bursts[second] ?? alternating(second);
}

async function detect(events: Iterable<ChatMessage>): Promise<Moment[]> {
  const moments: Moment[] = [];
  for await (const moment of detectWithReferenceRule(events)) moments.push(moment);
  return moments;
}

const at = (second: number): number => T0 + second * 1000;

describe('reference rule', () => {
  it('fires on a burst at the first elevated second and reports when intensity falls', async () => {
    const quiet = series(460, alternating, undefined, { channel_id: '2002', channel: 'beta' });
    const loud = series(460, withBursts({ 400: 50 }));
    const moments = await detect([...quiet, ...loud].sort((a, b) => a.ts - b.ts));

    expect(moments).toHaveLength(1);
    const [moment] = moments as [Moment];
    expect(moment.channel_id).toBe('1001');
    expect(moment.channel).toBe('alpha');
    expect(moment.id).toBe(momentId('1001', at(400)));
    // Windows ending at 400..404 hold the burst; 401 and 403 tie at the highest (60 messages),
    // and a tie keeps the earlier second. At 405 the burst has left the window: reported.
    expect(moment.start_ts).toBe(at(400));
    expect(moment.peak_ts).toBe(at(401));
    expect(moment.end_ts).toBe(at(406));
    expect(moment.score).toBeCloseTo((60 / 5 - 2) / Math.sqrt(300 / 299), 2);
    expect(moment.explanation).toMatchObject({
      rate: 12,
      baseline_rate: 2,
      chatters_rate: 12,
      baseline_chatters_rate: 2,
      messages: 50 + 3 + 1 + 3 + 1 + 3,
      unique_chatters: 61,
      top_emotes: [],
    });
    expect(moment.explanation.summary).toContain('60 messages in 5 s');
  });

  it('fires at intensity 4', async () => {
    // The fullest window holding a burst of b at 400 s is 401 s: 3 + 1 + 3 + b + 3 messages.
    const sd = Math.sqrt(300 / 299);
    expect(await detect(series(460, withBursts({ 400: 20 })))).toEqual([]); // (30/5 - 2) / sd = 3.99

    const [moment] = await detect(series(460, withBursts({ 400: 21 })));
    expect(moment?.start_ts).toBe(at(401));
    expect(moment?.score).toBeCloseTo((31 / 5 - 2) / sd, 2); // 4.19
  });

  it('reports once the watermark, 5 s behind the newest message, reaches the report second', () => {
    const rule = new ReferenceRule();
    const reportedBy = series(460, withBursts({ 400: 50 })).filter(
      (event) => rule.ingest(event).length > 0,
    );
    expect(reportedBy.map((event) => event.ts)).toEqual([at(410)]);
  });

  it('counts messages up to 5 s out of order as if they had come in time', async () => {
    const events = series(460, withBursts({ 400: 50 }));
    const burst = events.filter((event) => event.ts >= at(400) && event.ts < at(401));
    const others = events.filter((event) => !burst.includes(event));
    // The burst arrives after everything sent before 405 s: about 4 s late, within the 5 s.
    const lastBeforeLate = others.findLastIndex((event) => event.ts < at(405));
    const late = [
      ...others.slice(0, lastBeforeLate + 1),
      ...burst,
      ...others.slice(lastBeforeLate + 1),
    ];

    const [onTime] = await detect(events);
    expect(await detect(late)).toEqual([onTime]);
  });

  it('measures a channel only after 240 s of its chat', async () => {
    // At 243 s the window starts 239 s after the first message: not yet measurable, and by
    // 244 s the burst has left the window.
    expect(await detect(series(400, withBursts({ 239: 50 })))).toEqual([]);

    // The window ending at 244 s is the first measured, with 60 missing seconds counted as 0.
    const [moment] = await detect(series(400, withBursts({ 240: 50 })));
    expect(moment?.start_ts).toBe(at(244));
  });

  it('opens no hold within 30 s of a report', async () => {
    // The first burst is reported at 405 s: the second is elevated at 430..434 s, all inside the
    // cooldown.
    const suppressed = await detect(series(480, withBursts({ 400: 50, 430: 100 })));
    expect(suppressed.map((moment) => moment.start_ts)).toEqual([at(400)]);

    // Elevated from 435 s; 436 s is the first second more than 30 s after the report.
    const after = await detect(series(480, withBursts({ 400: 50, 435: 100 })));
    expect(after.map((moment) => moment.start_ts)).toEqual([at(400), at(436)]);
  });

  it('reports a hold 25 s after it opened when chat stays elevated', async () => {
    // Chat growing 6 % a second from 40 at 400 s to 439 s stays elevated until 440 s.
    const growing = (second: number): number =>
      second >= 400 && second < 440 ? Math.round(40 * 1.06 ** (second - 400)) : alternating(second);
    const moments = await detect(series(500, growing));

    // Reported at 425 s; still elevated afterwards, but no hold opens in the cooldown.
    expect(moments).toHaveLength(1);
    expect(moments[0]).toMatchObject({ start_ts: at(400), end_ts: at(426) });
    expect(moments[0]!.peak_ts).toBeGreaterThanOrEqual(at(400));
    expect(moments[0]!.peak_ts).toBeLessThanOrEqual(at(425));
  });

  it('drops commands but counts everything else, whatever the text', async () => {
    const burstText = (command: string) => (second: number) =>
      second === 400 ? command : 'hello there';
    const commands = series(460, withBursts({ 400: 50 }), burstText('!giveaway'));
    expect(await detect(commands)).toEqual([]);

    // "!!!" is no command: the reference counts it like any message.
    const shouts = series(460, withBursts({ 400: 50 }), burstText('!!! no way'));
    expect((await detect(shouts)).map((moment) => moment.start_ts)).toEqual([at(400)]);
  });

  it('does not measure a baseline without spread', async () => {
    const flat = (second: number): number => (second === 400 ? 50 : 2);
    expect(await detect(series(460, flat))).toEqual([]);
  });

  it('reports a hold still open when the input ends', async () => {
    const moments = await detect(series(403, withBursts({ 400: 50 })));
    expect(moments.map((moment) => [moment.start_ts, moment.end_ts])).toEqual([[at(400), at(406)]]);
  });
});
