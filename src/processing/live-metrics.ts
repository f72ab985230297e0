// Live metrics of one channel: a 1-minute window advancing every 10 s over closed seconds.
import { ChannelColumns } from './channel-columns.ts';
import type { ChannelMetrics } from './channel-metrics.ts';
import type { ClosedSecond } from './closed-second.ts';
import type { Ranked } from './moment.ts';
import { SlidingDistinct } from './sliding-distinct.ts';

export interface LiveMetricsParams {
  windowS: number;
  stepS: number;
}

export const DEFAULT_LIVE_METRICS: LiveMetricsParams = { windowS: 60, stepS: 10 };

const TOP_EMOTES = 10;
const NO_EMOTES: readonly (string | number)[] = Object.freeze([]);

export class LiveMetrics {
  private readonly params: LiveMetricsParams;
  private readonly chatters: SlidingDistinct;
  private readonly columns: ChannelColumns;
  /** Where the messages of the window's seconds, by slot, start in `columns.ints`. */
  private readonly messages: number;
  /** Emote counts of the window's seconds, by slot: name, count, name, count… */
  private readonly emotes: (readonly (string | number)[])[];
  private seen = 0;

  /** Integers one takes in a channel's slot (see ChannelColumns). */
  static ints(params: LiveMetricsParams): number {
    return params.windowS + SlidingDistinct.ints(params.windowS);
  }

  /** Doubles one takes in a channel's slot. */
  static readonly floats = SlidingDistinct.floats;

  /**
   * Takes `LiveMetrics.ints(params)` integers from `base` and `LiveMetrics.floats` doubles from
   * `floatBase` in `columns` (by default, columns of its own).
   */
  constructor(
    params: LiveMetricsParams = DEFAULT_LIVE_METRICS,
    columns?: ChannelColumns,
    base = 0,
    floatBase = 0,
  ) {
    this.params = params;
    if (!columns) {
      columns = new ChannelColumns(LiveMetrics.ints(params), LiveMetrics.floats, 1);
      columns.allocate();
    }
    this.columns = columns;
    this.messages = base;
    columns.ints.fill(0, base, base + params.windowS);
    this.chatters = new SlidingDistinct(params.windowS, columns, base + params.windowS, floatBase);
    this.emotes = new Array<readonly (string | number)[]>(params.windowS).fill(NO_EMOTES);
  }

  /**
   * Feeds one closed second, closed with its chatters (see ClosedSecond.close); returns the
   * window's metrics when a step ends with it.
   */
  observe(
    closed: ClosedSecond,
    channel: { id: string; login: string; viewers: number | null },
  ): ChannelMetrics | null {
    const { second } = closed;
    const slot = second % this.params.windowS;
    this.chatters.add(second, closed.chatters, closed.messages);
    const { ints } = this.columns;
    ints[this.messages + slot] = closed.messages;
    this.emotes[slot] = closed.emoteCounts();
    this.seen = Math.min(this.seen + 1, this.params.windowS);
    if ((second + 1) % this.params.stepS !== 0) return null;

    let messages = 0;
    for (let at = this.messages; at < this.messages + this.params.windowS; at++) {
      messages += ints[at]!;
    }
    return {
      channel_id: channel.id,
      channel: channel.login,
      ts: (second + 1) * 1000,
      window_ms: this.params.windowS * 1000,
      messages,
      // Over the seconds actually observed: a channel seen for 20 s is not diluted over 60.
      chat_rate: Math.round((messages / this.seen) * 100) / 100,
      unique_chatters: this.chatters.count,
      viewers: channel.viewers,
      top_emotes: this.topEmotes(),
    };
  }

  private topEmotes(): Ranked[] {
    const totals = new Map<string, number>();
    for (const counts of this.emotes) {
      for (let i = 0; i < counts.length; i += 2) {
        const name = counts[i] as string;
        totals.set(name, (totals.get(name) ?? 0) + (counts[i + 1] as number));
      }
    }
    return [...totals]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, TOP_EMOTES)
      .map(([name, count]) => ({ name, count }));
  }
}
