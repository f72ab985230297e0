// Canonical events: the one format that flows through files, the event log and the pipeline.
// Field names are ours and stable; a breaking change bumps SCHEMA_VERSION.
import { z } from 'zod';

export const SCHEMA_VERSION = 1;

const epochMs = z.number().int().nonnegative();
const id = z.string().min(1).max(128);
const login = z.string().min(1).max(64);

const common = {
  v: z.literal(SCHEMA_VERSION),
  channel_id: id,
  ts: epochMs,
};

export const EmoteSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /**
   * Index of the first character in `text`, inclusive, in UTF-16 code units (JavaScript string
   * indices, so `text.slice(start, end + 1) === name`). Twitch's `emotes` tag counts code
   * points: the Twitch reader converts.
   */
  start: z.number().int().nonnegative(),
  /** Index of the last character (inclusive, as in Twitch's `emotes` tag). */
  end: z.number().int().nonnegative(),
});

export const ChatMessageSchema = z.object({
  ...common,
  type: z.literal('chat'),
  /** Twitch's message id (IRCv3 `id` tag): unique, used to drop duplicates. */
  id,
  channel: login,
  user_id: id,
  user: login,
  display_name: z.string().max(64).optional(),
  text: z.string().max(2000),
  /** When we received it (epoch ms); `ts` is Twitch's sent time (`tmi-sent-ts`). */
  received_ts: epochMs.optional(),
  emotes: z.array(EmoteSchema).default([]),
  badges: z.record(z.string(), z.string()).default({}),
  bits: z.number().int().nonnegative().default(0),
  first_msg: z.boolean().default(false),
  returning: z.boolean().default(false),
  mod: z.boolean().default(false),
  sub: z.boolean().default(false),
  vip: z.boolean().default(false),
  /** Id of the message this one replies to, if any. */
  reply_to: z.string().optional(),
});

export const NoticeKind = z.enum(['sub', 'resub', 'subgift', 'submysterygift', 'raid', 'other']);

export const NoticeSchema = z.object({
  ...common,
  type: z.literal('notice'),
  id,
  kind: NoticeKind,
  channel: login.optional(),
  user_id: z.string().optional(),
  user: z.string().optional(),
  text: z.string().max(2000).optional(),
  /** Gift count for subgift / submysterygift, months for resub. */
  count: z.number().int().nonnegative().optional(),
  /** Raid size. */
  viewers: z.number().int().nonnegative().optional(),
});

export const LifecycleKind = z.enum(['online', 'offline', 'title', 'game']);

export const LifecycleSchema = z.object({
  ...common,
  type: z.literal('lifecycle'),
  kind: LifecycleKind,
  channel: login,
  display_name: z.string().max(64).optional(),
  /** Twitch's stream id; one per broadcast. */
  stream_id: z.string().optional(),
  title: z.string().max(500).optional(),
  game: z.string().max(200).optional(),
  language: z.string().max(16).optional(),
  started_at: epochMs.optional(),
});

export const ViewersSchema = z.object({
  ...common,
  type: z.literal('viewers'),
  channel: login.optional(),
  stream_id: z.string().optional(),
  viewers: z.number().int().nonnegative(),
});

export const ModerationKind = z.enum(['clearchat', 'clearmsg', 'roomstate']);

export const ModerationSchema = z.object({
  ...common,
  type: z.literal('moderation'),
  kind: ModerationKind,
  /** clearchat: the timed-out or banned user (absent = whole chat cleared). */
  user_id: z.string().optional(),
  /** clearmsg: the deleted message's id. */
  target_message_id: z.string().optional(),
  duration_s: z.number().int().nonnegative().optional(),
  /** roomstate: chat modes that change what a normal chat rate is. */
  slow_s: z.number().int().nonnegative().optional(),
  emote_only: z.boolean().optional(),
  followers_only_min: z.number().int().optional(),
  subs_only: z.boolean().optional(),
});

export const EventSchema = z.discriminatedUnion('type', [
  ChatMessageSchema,
  NoticeSchema,
  LifecycleSchema,
  ViewersSchema,
  ModerationSchema,
]);

export type Emote = z.infer<typeof EmoteSchema>;
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
export type Notice = z.infer<typeof NoticeSchema>;
export type Lifecycle = z.infer<typeof LifecycleSchema>;
export type Viewers = z.infer<typeof ViewersSchema>;
export type Moderation = z.infer<typeof ModerationSchema>;
export type StreamEvent = z.infer<typeof EventSchema>;
export type StreamEventInput = z.input<typeof EventSchema>;
