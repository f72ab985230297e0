// One channel, second by second: the broadcast's life, normal chat at a wandering rate,
// planted highlights, and the episodes (raids, spam, gifts, giveaways, bots) that make chat
// look like chat. Each channel has its own random streams, so channels do not disturb each other.
import type { ChatMessage, StreamEvent } from '../../events/schema.ts';
import { Broadcast } from './broadcast.ts';
import type { SimChannel } from './channels.ts';
import { ChatActivity, drawMessageCount, startRamp } from './chat-activity.ts';
import { ChatBots } from './chat-bots.ts';
import {
  everydayLine,
  farewellLine,
  greetingLine,
  reactionLine,
  type Speaker,
} from './chat-lines.ts';
import { ChatWriter } from './chat-writer.ts';
import { EventQueue } from './event-queue.ts';
import { Giveaways } from './giveaways.ts';
import { HighlightPlanner, type ActiveHighlight, type Highlight } from './highlights.ts';
import { MessageText } from './message-text.ts';
import type { ResolvedOptions } from './options.ts';
import { Raids } from './raids.ts';
import { Random, WeightedChoice, hashSeed } from './random.ts';
import type { ChannelScene } from './scene.ts';
import { SpamBursts } from './spam.ts';
import { gameNamed, type Genre } from './stream-catalog.ts';
import { Subscriptions } from './subscriptions.ts';

/** What a normal message is: mostly a line, sometimes a command, a reply, an @mention, a cheer. */
type MessageKind = 'line' | 'command' | 'reply' | 'mention' | 'cheer';

const messageKindChoice = new WeightedChoice<MessageKind>([
  ['line', 0.912],
  ['command', 0.025],
  ['reply', 0.03],
  ['mention', 0.03],
  ['cheer', 0.003],
]);

/** Greetings dominate the first minutes of a stream, farewells its last ones. */
const GREETING_WINDOW_S = 600;
const GREETING_PEAK_ODDS = 0.5;
const FAREWELL_WINDOW_S = 300;
const FAREWELL_PEAK_ODDS = 0.4;
/** Bits in a cheer: mostly small. */
const CHEER_AMOUNTS = [1, 50, 100, 100, 500, 1000];

export class ChannelSimulation {
  readonly channel: SimChannel;
  private readonly scene: ChannelScene;
  private readonly activity: ChatActivity;
  private readonly highlights: HighlightPlanner;
  private readonly bots: ChatBots;
  private readonly spam: SpamBursts;
  private readonly raids: Raids;
  private readonly giveaways: Giveaways;
  private readonly subscriptions: Subscriptions;

  constructor(channel: SimChannel, options: ResolvedOptions) {
    this.channel = channel;
    const random = new Random(hashSeed(options.seed, 'channel', channel.index));
    const dynamics = random.fork('dynamics');
    const content = random.fork('content');
    const writer = new ChatWriter(channel, content);
    const broadcast = new Broadcast(channel, options, dynamics);
    this.scene = { channel, broadcast, writer, queue: new EventQueue(), dynamics, content };
    this.activity = new ChatActivity(dynamics);
    this.highlights = new HighlightPlanner(channel, options, dynamics);
    this.bots = new ChatBots(dynamics, options.startTs);
    this.spam = new SpamBursts(dynamics, options.spamEveryS, options.startTs);
    this.raids = new Raids(dynamics, options.raidEveryS, options.startTs);
    this.giveaways = new Giveaways(dynamics, options.giveawayEveryS, options.startTs);
    this.subscriptions = new Subscriptions(options.subsPerViewerHour);
  }

  /** Appends this channel's events with ts in [second, second + 1000) to `out`, in time order. */
  step(second: number, out: StreamEvent[], truth: Highlight[]): void {
    const { broadcast, dynamics, queue } = this.scene;
    this.activity.advance(dynamics);
    const change = broadcast.step(second, dynamics, this.activity.audienceLevel, out);
    if (change === 'online') {
      this.highlights.onBroadcastStart(second, dynamics);
      this.scene.writer.onBroadcastStart();
    } else if (change === 'offline') {
      this.highlights.onBroadcastEnd(second);
    }
    const deliver = (event: StreamEvent): void => {
      out.push(event.type === 'chat' ? this.scene.writer.remember(event) : event);
    };
    if (broadcast.live) this.liveSecond(second, deliver, truth);
    queue.deliverBefore(second + 1000, deliver);
  }

  private liveSecond(
    second: number,
    deliver: (event: StreamEvent) => void,
    truth: Highlight[],
  ): void {
    const { broadcast, dynamics } = this.scene;
    const ageS = broadcast.ageS(second);
    const chatRate =
      this.channel.chatRate * this.activity.level * startRamp(ageS) * broadcast.raidAfterglow;
    const normal = drawMessageCount(dynamics, chatRate);
    const reactions = this.highlights.step(second, chatRate, dynamics, truth);
    // Episodes plan first, so what they plan for this very second interleaves with chat below.
    this.bots.step(second, this.scene);
    this.spam.step(second, this.scene);
    this.raids.step(second, this.scene);
    this.giveaways.step(second, chatRate, this.scene);
    this.subscriptions.step(
      second,
      broadcast.expectedViewers(second, this.activity.audienceLevel),
      this.scene,
    );
    this.chat(second, normal, reactions, deliver);
  }

  /**
   * Normal messages at random moments of the second, highlight reactions and planned events,
   * each created in time order: who chatted before, and what one can reply to, follow the clock.
   */
  private chat(
    second: number,
    normal: number,
    reactionTimes: Float64Array,
    deliver: (event: StreamEvent) => void,
  ): void {
    if (normal === 0 && reactionTimes.length === 0) return;
    const { content, broadcast, queue } = this.scene;
    const offsets = new Int32Array(normal);
    for (let i = 0; i < normal; i++) offsets[i] = content.int(0, 1000);
    offsets.sort();
    const genre = gameNamed(broadcast.game).genre;
    const highlight = this.highlights.active;
    let reaction = 0;
    const reactUntil = (ts: number): void => {
      if (highlight === undefined) return;
      while (reaction < reactionTimes.length && (reactionTimes[reaction] as number) < ts) {
        const at = reactionTimes[reaction] as number;
        reaction += 1;
        queue.deliverBefore(at, deliver);
        deliver(this.reaction(at, genre, highlight));
      }
    };
    for (let i = 0; i < normal; i++) {
      const ts = second + (offsets[i] as number);
      reactUntil(ts);
      queue.deliverBefore(ts, deliver);
      deliver(this.normalMessage(ts, genre));
    }
    reactUntil(second + 1000);
  }

  private reaction(ts: number, genre: Genre, highlight: ActiveHighlight): ChatMessage {
    const { writer, content } = this.scene;
    const slot = writer.pickAnyone();
    return writer.member(slot, ts, reactionLine(content, writer.speaker(slot, genre), highlight));
  }

  private normalMessage(ts: number, genre: Genre): ChatMessage {
    const { writer, content } = this.scene;
    const slot = writer.pickRegular();
    const speaker = writer.speaker(slot, genre);
    const kind = messageKindChoice.pick(content);
    const recent = kind === 'reply' || kind === 'mention' ? writer.recentMessage() : undefined;
    if (kind === 'command') return this.bots.command(this.scene, slot, ts);
    if (recent !== undefined) {
      // Twitch clients start a reply with the parent's author, as a mention does.
      const text = everydayLine(
        content,
        speaker,
        new MessageText().words(`@${recent.displayName}`),
      );
      return writer.member(slot, ts, text, kind === 'reply' ? recent.id : undefined);
    }
    if (kind === 'cheer') {
      const bits = content.pick(CHEER_AMOUNTS);
      return writer.member(
        slot,
        ts,
        everydayLine(content, speaker, new MessageText().words(`Cheer${bits}`)),
        undefined,
        bits,
      );
    }
    return writer.member(slot, ts, this.phaseLine(ts, speaker));
  }

  /** Hellos while a stream starts, good nights while it ends, normal chat in between. */
  private phaseLine(ts: number, speaker: Speaker): MessageText {
    const { broadcast, content } = this.scene;
    const ageS = broadcast.ageS(ts);
    if (
      ageS < GREETING_WINDOW_S &&
      content.chance(GREETING_PEAK_ODDS * (1 - ageS / GREETING_WINDOW_S))
    ) {
      return greetingLine(content, speaker);
    }
    const remainingS = broadcast.remainingS(ts);
    if (
      remainingS < FAREWELL_WINDOW_S &&
      content.chance(FAREWELL_PEAK_ODDS * (1 - remainingS / FAREWELL_WINDOW_S))
    ) {
      return farewellLine(content, speaker);
    }
    return everydayLine(content, speaker);
  }
}
