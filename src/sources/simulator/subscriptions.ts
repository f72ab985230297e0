// Subscriptions as Twitch announces them (USERNOTICE sub, resub, subgift, submysterygift).
// A big gift bomb makes chat thank and cheer: another crowd that is not a highlight.
import type { Notice } from '../../events/schema.ts';
import { SCHEMA_VERSION } from '../../events/schema.ts';
import { giftLine } from './chat-lines.ts';
import { messageId } from './ids.ts';
import { WeightedChoice } from './random.ts';
import type { ChannelScene } from './scene.ts';

type SubKind = 'sub' | 'resub' | 'subgift' | 'submysterygift';

const subKindChoice = new WeightedChoice<SubKind>([
  ['sub', 0.3],
  ['resub', 0.45],
  ['subgift', 0.12],
  ['submysterygift', 0.13],
]);

/** Sizes of community gift bombs. */
const giftBombChoice = new WeightedChoice<number>([
  [1, 10],
  [5, 30],
  [10, 25],
  [20, 12],
  [50, 6],
  [100, 2],
]);

/** Share of new subs paid with Prime rather than at Tier 1. */
const PRIME_SHARE = 0.35;
/** Twitch sends the individual gifts right after the bomb announcement, this far apart. */
const GIFT_SPACING_MS = { min: 30, max: 150 };
/** From this many gifts on, chat reacts to a gift bomb. */
const GIFT_BOMB_REACTION_FROM = 5;
/** Reactions per gift: thanks from recipients, hype from onlookers. */
const THANKS_PER_GIFT = 0.3;
const HYPE_PER_GIFT = 0.5;
/** Reactions come within this many milliseconds. */
const REACTION_WINDOW_MS = 20_000;

export class Subscriptions {
  private readonly perViewerSecond: number;

  constructor(subsPerViewerHour: number) {
    this.perViewerSecond = subsPerViewerHour / 3600;
  }

  /** New subscriptions in this second, in proportion to the current audience. */
  step(second: number, viewers: number, scene: ChannelScene): void {
    const count = scene.dynamics.poisson(viewers * this.perViewerSecond);
    for (let i = 0; i < count; i++) this.subscription(second + scene.content.int(0, 1000), scene);
  }

  private subscription(ts: number, scene: ChannelScene): void {
    const { content, writer, channel } = scene;
    const slot = writer.pickAnyone();
    const name = channel.chatters.displayName(slot);
    switch (subKindChoice.pick(content)) {
      case 'sub': {
        const plan = content.chance(PRIME_SHARE) ? 'with Prime' : 'at Tier 1';
        scene.queue.schedule(ts, () =>
          notice(scene, ts, 'sub', slot, `${name} subscribed ${plan}.`),
        );
        return;
      }
      case 'resub': {
        const current = channel.chatters.subMonths(slot);
        const months = current > 0 ? current + 1 : content.int(2, 25);
        const text = `${name} subscribed at Tier 1. They've subscribed for ${months} months!`;
        scene.queue.schedule(ts, () => notice(scene, ts, 'resub', slot, text, months));
        return;
      }
      case 'subgift':
        this.gift(ts, scene, slot);
        return;
      case 'submysterygift':
        this.giftBomb(ts, scene, slot);
    }
  }

  private gift(ts: number, scene: ChannelScene, gifter: number): void {
    const pool = scene.channel.chatters;
    const recipient = scene.writer.pickAnyone();
    const text = `${pool.displayName(gifter)} gifted a Tier 1 sub to ${pool.displayName(recipient)}!`;
    scene.queue.schedule(ts, () => notice(scene, ts, 'subgift', gifter, text, 1));
  }

  private giftBomb(ts: number, scene: ChannelScene, gifter: number): void {
    const { channel, content } = scene;
    const gifts = giftBombChoice.pick(content);
    const name = channel.chatters.displayName(gifter);
    const text = `${name} is gifting ${gifts} Tier 1 Subs to ${channel.displayName}'s community!`;
    scene.queue.schedule(ts, () => notice(scene, ts, 'submysterygift', gifter, text, gifts));
    let at = ts;
    for (let i = 0; i < gifts; i++) {
      at += content.int(GIFT_SPACING_MS.min, GIFT_SPACING_MS.max);
      this.gift(at, scene, gifter);
    }
    if (gifts >= GIFT_BOMB_REACTION_FROM) this.cheer(at, scene, gifts);
  }

  private cheer(ts: number, scene: ChannelScene, gifts: number): void {
    const { content, writer, queue } = scene;
    const thanks = Math.round(gifts * THANKS_PER_GIFT);
    const hype = Math.round(gifts * HYPE_PER_GIFT);
    for (let i = 0; i < thanks + hype; i++) {
      const at = ts + content.int(0, REACTION_WINDOW_MS);
      queue.schedule(at, () =>
        writer.member(writer.pickAnyone(), at, giftLine(content, i < thanks)),
      );
    }
  }
}

function notice(
  scene: ChannelScene,
  ts: number,
  kind: SubKind,
  slot: number,
  text: string,
  count?: number,
): Notice {
  const { channel } = scene;
  const event: Notice = {
    v: SCHEMA_VERSION,
    type: 'notice',
    channel_id: channel.id,
    ts,
    id: messageId(scene.content),
    kind,
    channel: channel.login,
    user_id: channel.chatters.id(slot),
    user: channel.chatters.login(slot),
    text,
  };
  if (count !== undefined) event.count = count;
  return event;
}
