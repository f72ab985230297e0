// The simulated channel population: who streams what, how big each channel is, and who chats
// where. Sizes are heavy-tailed like Twitch's (a few giants, many small streams), and chatter
// pools overlap inside communities (same game and language), which is what the audience atlas
// must be able to find.
import {
  ChatterPool,
  ROLE_CHATTED_BEFORE,
  ROLE_MODERATOR,
  ROLE_VIP,
  type UserBlock,
} from './chatter-pool.ts';
import { channelEmotes, type EmoteDef } from './emotes.ts';
import { Random, WeightedChoice, hashSeed } from './random.ts';
import { pickGame, pickLanguage, streamTitle, type Game } from './stream-catalog.ts';
import { CHAT_BOT_LOGINS, FIRST_GENERATED_USER, UserDirectory } from './users.ts';

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface ChannelPopulationOptions {
  /** Seed of every choice below. */
  seed: number;
  /** Number of channels. */
  count: number;
  /** Steady chat rate of the quietest and the busiest possible channel, messages per second. */
  chatRate?: Range;
}

/** From a quiet stream (one message every 10 s) to a giant one. */
export const DEFAULT_CHAT_RATE: Range = { min: 0.1, max: 150 };

/** Pareto tail index of channel sizes: below 1, most channels are small and a few are huge. */
const SIZE_TAIL_INDEX = 0.5;
/** Concurrent viewers per message per second of chat: a 1 msg/s chat has ~450 viewers. */
const VIEWERS_PER_CHAT_RATE = 450;
/** Spread (sd of the logarithm) of viewers around that ratio: some audiences are chattier. */
const VIEWERS_SPREAD = 0.35;
/** Distinct chatters a channel has in a session grow sublinearly with its chat rate. */
const POOL_BASE = 30;
const POOL_PER_RATE = 300;
const POOL_RATE_EXPONENT = 0.85;
/** Share of a pool drawn from its community (same game and language): the audience overlap. */
const COMMUNITY_SHARE = 0.2;
/** A community's shared chatters number this fraction of what its channels draw, so they repeat. */
const COMMUNITY_REUSE = 0.6;
/** Share of a pool drawn from people who roam all of Twitch. */
const ROAMER_SHARE = 0.05;
/** Roamers number this fraction of what channels draw from them: each roams ~2 channels. */
const ROAMER_REUSE = 0.5;
/** Channels outside the simulated set that raid a channel now and then. */
const FRIENDS_PER_CHANNEL = 3;
/** Role odds per pool member. */
const MODERATOR_ODDS = 0.01;
const VIP_ODDS = 0.01;
const SUBSCRIBER_ODDS = 0.3;
/** Mean months of a subscription streak. */
const SUB_MONTHS_MEAN = 10;
/** Share of a pool who never chatted in this channel yet: their first message is a `first-msg`. */
const NEWCOMER_ODDS = 0.12;

const chatBotChoice = new WeightedChoice<number>(
  [0.35, 0.35, 0.1, 0.15, 0.05].map((weight, bot) => [bot, weight] as const),
);

/** A channel outside the simulated set and the block of users who follow it. */
export interface FriendChannel {
  readonly broadcaster: number;
  readonly audience: UserBlock;
}

export interface SimChannel {
  /** Position in the population (0-based). */
  readonly index: number;
  /** Twitch user id of the broadcaster (= `room-id`, `broadcaster_id`). */
  readonly id: string;
  readonly login: string;
  readonly displayName: string;
  /** The broadcaster's index in `chatters.directory`. */
  readonly broadcaster: number;
  readonly game: string;
  /** ISO 639-1 broadcast language. */
  readonly language: string;
  readonly title: string;
  /** Steady chat rate once the stream has warmed up, messages per second. */
  readonly chatRate: number;
  /** Steady concurrent viewers. */
  readonly viewers: number;
  /** Subscriber emotes, all named `emotePrefix` + a suffix. */
  readonly emotes: readonly EmoteDef[];
  readonly emotePrefix: string;
  readonly chatters: ChatterPool;
  /** Chat bots (nightbot, streamelements...) moderating this chat, as user indices. */
  readonly chatBots: readonly number[];
  /** Channels that raid this one from time to time. */
  readonly friends: readonly FriendChannel[];
}

interface ChannelPlan {
  chatRate: number;
  game: Game;
  language: string;
  poolSize: number;
  community: string;
  friendAudiences: number[];
}

/** Creates `count` channels, reproducibly from `seed`. */
export function createChannels(options: ChannelPopulationOptions): SimChannel[] {
  const { seed, count, chatRate = DEFAULT_CHAT_RATE } = options;
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`count must be a positive integer, got ${count}`);
  }
  if (!(chatRate.min > 0 && chatRate.max >= chatRate.min)) {
    throw new RangeError('chatRate needs 0 < min <= max');
  }
  const random = new Random(hashSeed(seed, 'channels'));
  const rates = channelChatRates(random, count, chatRate);
  const plans = rates.map((rate) => planChannel(random, rate));
  const layout = new UserLayout(plans);
  const directory = new UserDirectory(seed, layout.capacity);
  return plans.map((plan, index) => buildChannel(random, directory, layout, plan, index));
}

/**
 * Stratified draws from a truncated Pareto: each channel gets its own quantile band, so even a
 * handful of channels spans the whole range of sizes; bands are shuffled so index says nothing.
 */
function channelChatRates(random: Random, count: number, range: Range): number[] {
  const bands = random.shuffle(Array.from({ length: count }, (_, band) => band));
  const tailMass = 1 - Math.pow(range.min / range.max, SIZE_TAIL_INDEX);
  return bands.map((band) => {
    const quantile = (band + random.next()) / count;
    return range.min / Math.pow(1 - quantile * tailMass, 1 / SIZE_TAIL_INDEX);
  });
}

function planChannel(random: Random, chatRate: number): ChannelPlan {
  const game = pickGame(random);
  const language = pickLanguage(random);
  const poolSize = Math.round(POOL_BASE + POOL_PER_RATE * Math.pow(chatRate, POOL_RATE_EXPONENT));
  const friendAudiences = Array.from({ length: FRIENDS_PER_CHANNEL }, () =>
    Math.max(20, Math.round(poolSize * random.uniform(0.05, 0.5))),
  );
  return {
    chatRate,
    game,
    language,
    poolSize,
    community: `${game.name}|${language}`,
    friendAudiences,
  };
}

/**
 * Where each group of users sits in the index space: fixed accounts, broadcasters, friends,
 * roamers, one block per community, then each channel's own chatters and friends' followers.
 */
class UserLayout {
  readonly capacity: number;
  readonly roamers: UserBlock;
  readonly communities = new Map<string, UserBlock>();
  private readonly ownChatters: UserBlock[] = [];
  private readonly friendBlocks: UserBlock[][] = [];
  private readonly count: number;

  constructor(plans: readonly ChannelPlan[]) {
    this.count = plans.length;
    let next = FIRST_GENERATED_USER + plans.length * (1 + FRIENDS_PER_CHANNEL);
    const block = (size: number): UserBlock => {
      const allocated = { first: next, size };
      next += size;
      return allocated;
    };
    const totalPool = plans.reduce((sum, plan) => sum + plan.poolSize, 0);
    this.roamers = block(Math.max(100, Math.round(totalPool * ROAMER_SHARE * ROAMER_REUSE)));
    for (const [community, draw] of communityDraws(plans)) {
      this.communities.set(community, block(Math.max(1, Math.round(draw * COMMUNITY_REUSE))));
    }
    for (const plan of plans) {
      this.ownChatters.push(block(plan.poolSize));
      this.friendBlocks.push(plan.friendAudiences.map(block));
    }
    this.capacity = next;
  }

  broadcaster(channel: number): number {
    return FIRST_GENERATED_USER + channel;
  }

  friendBroadcaster(channel: number, friend: number): number {
    return FIRST_GENERATED_USER + this.count + channel * FRIENDS_PER_CHANNEL + friend;
  }

  ownChattersOf(channel: number): UserBlock {
    return this.ownChatters[channel] as UserBlock;
  }

  friendAudiencesOf(channel: number): UserBlock[] {
    return this.friendBlocks[channel] as UserBlock[];
  }
}

function communityDraws(plans: readonly ChannelPlan[]): Map<string, number> {
  const draws = new Map<string, number>();
  for (const plan of plans) {
    draws.set(plan.community, (draws.get(plan.community) ?? 0) + plan.poolSize * COMMUNITY_SHARE);
  }
  return draws;
}

function buildChannel(
  random: Random,
  directory: UserDirectory,
  layout: UserLayout,
  plan: ChannelPlan,
  index: number,
): SimChannel {
  const broadcaster = layout.broadcaster(index);
  const login = directory.login(broadcaster);
  const emoteSet = channelEmotes(random, login);
  const viewers = Math.max(
    3,
    Math.round(plan.chatRate * VIEWERS_PER_CHAT_RATE * random.logNormal(1, VIEWERS_SPREAD)),
  );
  return {
    index,
    id: directory.id(broadcaster),
    login,
    displayName: directory.displayName(broadcaster),
    broadcaster,
    game: plan.game.name,
    language: plan.language,
    title: streamTitle(random, plan.game),
    chatRate: plan.chatRate,
    viewers,
    emotes: emoteSet.emotes,
    emotePrefix: emoteSet.prefix,
    chatters: buildPool(random, directory, layout, plan, index),
    chatBots: pickChatBots(random),
    friends: layout.friendAudiencesOf(index).map((audience, friend) => ({
      broadcaster: layout.friendBroadcaster(index, friend),
      audience,
    })),
  };
}

function buildPool(
  random: Random,
  directory: UserDirectory,
  layout: UserLayout,
  plan: ChannelPlan,
  index: number,
): ChatterPool {
  const community = layout.communities.get(plan.community) as UserBlock;
  const fromCommunity = Math.min(community.size, Math.round(plan.poolSize * COMMUNITY_SHARE));
  const fromRoamers = Math.min(layout.roamers.size, Math.round(plan.poolSize * ROAMER_SHARE));
  const own = layout.ownChattersOf(index);
  const members = new Int32Array(plan.poolSize);
  let filled = sampleBlock(random, community, fromCommunity, members, 0);
  filled = sampleBlock(random, layout.roamers, fromRoamers, members, filled);
  // Own chatters fill the rest; the block is sized for the whole pool, so it never runs out.
  for (let i = 0; filled < members.length; i++) members[filled++] = own.first + i;
  // Shuffled so that how active a member is (their rank) is unrelated to where they came from.
  random.shuffle(members);
  const roles = new Uint8Array(members.length);
  const months = new Uint8Array(members.length);
  for (let slot = 0; slot < members.length; slot++) {
    roles[slot] = drawRoles(random);
    months[slot] = random.chance(SUBSCRIBER_ODDS)
      ? Math.min(120, 1 + Math.floor(random.exponential(SUB_MONTHS_MEAN)))
      : 0;
  }
  return new ChatterPool(directory, members, roles, months);
}

/** Distinct members of a block: an arithmetic walk with a stride coprime to the block size. */
function sampleBlock(
  random: Random,
  block: UserBlock,
  count: number,
  into: Int32Array,
  at: number,
): number {
  if (count === 0) return at;
  const offset = random.int(0, block.size);
  let stride = random.int(1, Math.max(2, block.size));
  while (greatestCommonDivisor(stride, block.size) !== 1) stride += 1;
  for (let i = 0; i < count; i++) into[at + i] = block.first + ((offset + i * stride) % block.size);
  return at + count;
}

function greatestCommonDivisor(a: number, b: number): number {
  return b === 0 ? a : greatestCommonDivisor(b, a % b);
}

function drawRoles(random: Random): number {
  let roles = random.chance(NEWCOMER_ODDS) ? 0 : ROLE_CHATTED_BEFORE;
  if (random.chance(MODERATOR_ODDS)) roles |= ROLE_MODERATOR;
  else if (random.chance(VIP_ODDS)) roles |= ROLE_VIP;
  return roles;
}

/** Most channels run one chat bot, some two; the bots are the fixed accounts 0..4. */
function pickChatBots(random: Random): number[] {
  const first = chatBotChoice.pick(random);
  if (!random.chance(0.15)) return [first];
  const second = (first + random.int(1, CHAT_BOT_LOGINS.length)) % CHAT_BOT_LOGINS.length;
  return [first, second];
}
