// Twitch's clips, faked: Create Clip (POST /helix/clips) and Get Clips (GET /helix/clips), with
// Twitch's shapes and rules. Create Clip needs a user token with `clips:edit` and a live
// broadcaster, answers 202 with the new clip's id and edit URL, and the clip only shows in Get
// Clips after a processing delay, as on Twitch (which says: if Get Clips has not returned it
// after 15 s, assume it failed). Tests can make a channel refuse clips (403), let processing fail,
// and hold back the answer to a Create Clip that did make the clip (a call that timed out or
// a process that died before reading the answer).
import { randomBytes } from 'node:crypto';
import type { Reply } from './fake-user-grants.ts';

/** One element of Get Clips' `data`, as Twitch returns it. */
export interface HelixClip {
  id: string;
  url: string;
  embed_url: string;
  broadcaster_id: string;
  broadcaster_name: string;
  creator_id: string;
  creator_name: string;
  video_id: string;
  game_id: string;
  language: string;
  title: string;
  view_count: number;
  created_at: string;
  thumbnail_url: string;
  duration: number;
  vod_offset: number | null;
  is_featured: boolean;
}

/** What Create Clip needs to know about the live stream it clips. */
export interface ClippedStream {
  user_id: string;
  user_login: string;
  user_name: string;
  game_id: string;
  language: string;
  title: string;
  started_at: string;
}

/** The user making the clip, from the request's token. */
export interface ClipCreator {
  userId: string;
  login: string;
  scopes: string[];
}

/** Every Create Clip call, answered or held, in order. */
export interface ClipCall {
  at: number;
  broadcasterId: string;
  query: Record<string, string>;
  status: number;
  /** The clip made, if any (also when the answer was held back). */
  clipId?: string;
}

export interface FakeClipsOptions {
  clock: () => number;
  /** Time from Create Clip until Get Clips returns the clip. Twitch: a few seconds. */
  processingMs: number;
  /** Helix's error body. */
  error: (status: number, message: string) => Reply;
}

interface StoredClip {
  clip: HelixClip;
  visibleAt: number;
}

export class FakeClips {
  private readonly options: FakeClipsOptions;
  private readonly clips = new Map<string, StoredClip>();
  private readonly refusing = new Map<string, string>();
  private processingFailures = 0;
  private heldAnswers = 0;
  private readonly held: (() => void)[] = [];
  private listeners: ((call: ClipCall) => void)[] = [];
  processingMs: number;
  readonly calls: ClipCall[] = [];

  constructor(options: FakeClipsOptions) {
    this.options = options;
    this.processingMs = options.processingMs;
  }

  // ---- controls ----

  /** Create Clip on this broadcaster answers 403 with `message` (clips restricted, user banned...). */
  refuse(
    broadcasterId: string,
    message = 'User does not have permissions to clip this channel',
  ): void {
    this.refusing.set(broadcasterId, message);
  }

  allow(broadcasterId: string): void {
    this.refusing.delete(broadcasterId);
  }

  /** The next `count` clips are accepted (202) but never finish processing: Get Clips never has them. */
  failProcessing(count = 1): void {
    this.processingFailures += count;
  }

  /**
   * The next `count` Create Clip calls make their clip but the answer is held until `releaseHeld`
   * (or the server closes): the caller times out or dies without knowing the clip exists.
   */
  holdAnswers(count = 1): void {
    this.heldAnswers += count;
  }

  /** Sends the held answers (to callers still waiting, if any). */
  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }

  /** Calls `listener` on every Create Clip call, when it is made (before any held answer). */
  onCall(listener: (call: ClipCall) => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** Every clip made, processed or not, oldest first. */
  get all(): HelixClip[] {
    return [...this.clips.values()].map(({ clip }) => ({ ...clip }));
  }

  // ---- endpoints ----

  /** POST /helix/clips. `stream` is the broadcaster's live stream, if live. */
  async create(
    query: URLSearchParams,
    creator: ClipCreator | undefined,
    findStream: (broadcasterId: string) => ClippedStream | undefined,
  ): Promise<Reply> {
    const broadcasterId = query.get('broadcaster_id') ?? '';
    const call: ClipCall = {
      at: this.options.clock(),
      broadcasterId,
      query: Object.fromEntries(query),
      status: 0,
    };
    this.calls.push(call);
    const reply = this.tryCreate(query, broadcasterId, creator, findStream, call);
    call.status = reply.status;
    for (const listener of this.listeners) listener(call);
    if (call.clipId !== undefined && this.heldAnswers > 0) {
      this.heldAnswers -= 1;
      await new Promise<void>((resolve) => this.held.push(resolve));
    }
    return reply;
  }

  /** GET /helix/clips: by id (up to 100), or by broadcaster with a time range and paging. */
  get(query: URLSearchParams): Reply {
    const ids = query.getAll('id');
    const broadcasterId = query.get('broadcaster_id');
    const gameId = query.get('game_id');
    const given = [ids.length > 0, broadcasterId !== null, gameId !== null].filter(Boolean);
    if (given.length !== 1) {
      return this.options.error(
        400,
        'You must specify exactly one of the following query parameters: broadcaster_id, game_id, id',
      );
    }
    if (ids.length > 100)
      return this.options.error(400, 'The parameter "id" may be specified no more than 100 times');
    const now = this.options.clock();
    const visible = [...this.clips.values()]
      .filter((stored) => stored.visibleAt <= now)
      .map((stored) => stored.clip);
    if (ids.length > 0) {
      const wanted = new Set(ids);
      return {
        status: 200,
        body: { data: visible.filter((clip) => wanted.has(clip.id)), pagination: {} },
      };
    }
    const first = Number(query.get('first') ?? 20);
    if (!Number.isInteger(first) || first < 1 || first > 100) {
      return this.options.error(
        400,
        'The parameter "first" was malformed: the value must be between 1 and 100',
      );
    }
    const startedAt = timeParam(query.get('started_at'));
    const endedAt = timeParam(query.get('ended_at'));
    if (startedAt === null || endedAt === null) {
      return this.options.error(
        400,
        'The parameters "started_at" and "ended_at" must be RFC3339 times',
      );
    }
    const offset = Number(
      query.get('after') === null ? 0 : Buffer.from(query.get('after')!, 'base64url').toString(),
    );
    const matching = visible.filter((clip) => {
      if (broadcasterId !== null && clip.broadcaster_id !== broadcasterId) return false;
      if (gameId !== null && clip.game_id !== gameId) return false;
      const created = Date.parse(clip.created_at);
      // Twitch: ended_at defaults to a week after started_at.
      const until = endedAt ?? (startedAt === undefined ? Infinity : startedAt + 7 * 86_400_000);
      return (startedAt === undefined || created >= startedAt) && created < until;
    });
    const page = matching.slice(offset, offset + first);
    const next =
      offset + first < matching.length
        ? Buffer.from(String(offset + first)).toString('base64url')
        : undefined;
    return {
      status: 200,
      body: { data: page, pagination: next === undefined ? {} : { cursor: next } },
    };
  }

  private tryCreate(
    query: URLSearchParams,
    broadcasterId: string,
    creator: ClipCreator | undefined,
    findStream: (broadcasterId: string) => ClippedStream | undefined,
    call: ClipCall,
  ): Reply {
    const { error } = this.options;
    if (creator === undefined) return error(401, 'Create Clip needs a user access token');
    if (!creator.scopes.includes('clips:edit')) return error(401, 'Missing scope: clips:edit');
    if (broadcasterId === '') return error(400, 'Missing required parameter "broadcaster_id"');
    const duration = query.get('duration');
    const seconds = duration === null ? 30 : Number(duration);
    if (!Number.isFinite(seconds) || seconds < 5 || seconds > 60) {
      return error(400, 'The parameter "duration" must be between 5 and 60');
    }
    const refusal = this.refusing.get(broadcasterId);
    if (refusal !== undefined) return error(403, refusal);
    const stream = findStream(broadcasterId);
    if (stream === undefined) return error(404, 'Clipping is not possible for an offline channel.');

    const id = clipSlug();
    const now = this.options.clock();
    const failed = this.processingFailures > 0;
    if (failed) this.processingFailures -= 1;
    this.clips.set(id, {
      visibleAt: failed ? Infinity : now + this.processingMs,
      clip: {
        id,
        url: `https://clips.twitch.tv/${id}`,
        embed_url: `https://clips.twitch.tv/embed?clip=${id}`,
        broadcaster_id: broadcasterId,
        broadcaster_name: stream.user_name,
        creator_id: creator.userId,
        creator_name: creator.login,
        video_id: String(2_000_000_000 + (Date.parse(stream.started_at) % 1_000_000_000)),
        game_id: stream.game_id,
        language: stream.language,
        title: query.get('title') ?? stream.title,
        view_count: 0,
        created_at: `${new Date(now).toISOString().slice(0, 19)}Z`,
        thumbnail_url: `https://clips-media-assets2.twitch.tv/${id}-preview-480x272.jpg`,
        duration: seconds,
        vod_offset: Math.max(
          0,
          Math.round((now - Date.parse(stream.started_at)) / 1000 - seconds + 5),
        ),
        is_featured: false,
      },
    });
    call.clipId = id;
    return {
      status: 202,
      body: { data: [{ id, edit_url: `https://clips.twitch.tv/${id}/edit` }] },
    };
  }
}

/** Undefined when absent, null when malformed, else epoch ms. */
function timeParam(raw: string | null): number | undefined | null {
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

/** Twitch's clip slugs: four capitalised words and a random tail. */
function clipSlug(): string {
  const words = [
    'Brave',
    'Tiny',
    'Lucky',
    'Clever',
    'Swift',
    'Odd',
    'Giraffe',
    'Otter',
    'Falcon',
    'Pogchamp',
    'Kappa',
    'Biblethump',
  ];
  const bytes = randomBytes(16);
  const name = [0, 1, 2, 3].map((i) => words[bytes[i]! % words.length]).join('');
  return `${name}-${bytes.subarray(4).toString('base64url')}`;
}
