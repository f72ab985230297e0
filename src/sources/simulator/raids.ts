// Another streamer ends their broadcast and sends their viewers over. Twitch announces it
// (USERNOTICE msg-id=raid); then many people who never chatted here say hello within seconds.
// Loud, many distinct chatters, same emotes: yet not a highlight of this stream.
import type { Notice } from '../../events/schema.ts';
import { SCHEMA_VERSION } from '../../events/schema.ts';
import type { FriendChannel, Range } from './channels.ts';
import { raidLine } from './chat-lines.ts';
import { messageId } from './ids.ts';
import type { Random } from './random.ts';
import { Recurrence } from './recurrence.ts';
import type { ChannelScene } from './scene.ts';

/** Raid size relative to the raiding channel's chatting audience (viewers outnumber chatters). */
const RAIDERS_PER_FOLLOWER = { min: 1.5, max: 4 };
/** Share of raiders who say something on arrival. */
const CHATTING_RAIDERS = { min: 0.15, max: 0.4 };
/** Odds that an arriving raider sends a second message, and how long after the first. */
const SECOND_MESSAGE_ODDS = 0.3;
const SECOND_MESSAGE_GAP_MS = { min: 2000, max: 15_000 };
/** Raiders land a second after the notice, then arrive over ~10 s (gamma-distributed delays). */
const ARRIVAL_DELAY_MS = 1000;
const ARRIVAL_SHAPE = 2;
const ARRIVAL_SCALE_MS = 5000;
/** Cap on raid messages, so a giant raid stays cheap to simulate. */
const MAX_RAID_MESSAGES = 3000;

export class Raids {
  private readonly recurrence: Recurrence;

  constructor(random: Random, everyS: Range, fromTs: number) {
    this.recurrence = new Recurrence(random, everyS, fromTs);
  }

  step(second: number, scene: ChannelScene): void {
    if (!this.recurrence.due(second, scene.dynamics)) return;
    const { channel, content } = scene;
    const friend = content.pick(channel.friends);
    const viewers = Math.round(
      friend.audience.size * content.uniform(RAIDERS_PER_FOLLOWER.min, RAIDERS_PER_FOLLOWER.max),
    );
    const ts = second + content.int(0, 1000);
    scene.queue.schedule(ts, () => raidNotice(scene, friend, viewers, ts));
    scene.broadcast.welcomeRaid(viewers);
    this.arrivals(scene, friend, viewers, ts);
  }

  /** Raiders are the raiding channel's followers, each saying hi once or twice. */
  private arrivals(scene: ChannelScene, friend: FriendChannel, viewers: number, ts: number): void {
    const { content, writer, queue, channel } = scene;
    const raider = channel.chatters.directory.displayName(friend.broadcaster);
    const { audience } = friend;
    const chatting = Math.min(
      audience.size,
      Math.round(viewers * content.uniform(CHATTING_RAIDERS.min, CHATTING_RAIDERS.max)),
    );
    const offset = content.int(0, audience.size);
    let messages = 0;
    for (let i = 0; i < chatting && messages < MAX_RAID_MESSAGES; i++) {
      const user = audience.first + ((offset + i) % audience.size);
      const hello =
        ts + ARRIVAL_DELAY_MS + Math.round(content.gamma(ARRIVAL_SHAPE, ARRIVAL_SCALE_MS));
      queue.schedule(hello, () => writer.outsider(user, hello, raidLine(content, raider)));
      messages += 1;
      if (content.chance(SECOND_MESSAGE_ODDS)) {
        const again =
          hello + Math.round(content.uniform(SECOND_MESSAGE_GAP_MS.min, SECOND_MESSAGE_GAP_MS.max));
        queue.schedule(again, () => writer.outsider(user, again, raidLine(content, raider)));
        messages += 1;
      }
    }
  }
}

function raidNotice(
  scene: ChannelScene,
  friend: FriendChannel,
  viewers: number,
  ts: number,
): Notice {
  const directory = scene.channel.chatters.directory;
  const raider = directory.displayName(friend.broadcaster);
  return {
    v: SCHEMA_VERSION,
    type: 'notice',
    channel_id: scene.channel.id,
    ts,
    id: messageId(scene.content),
    kind: 'raid',
    channel: scene.channel.login,
    user_id: directory.id(friend.broadcaster),
    user: directory.login(friend.broadcaster),
    text: `${viewers} raiders from ${raider} have joined!`,
    viewers,
  };
}
