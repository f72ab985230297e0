// Twitch's clip endpoints as the clipper needs them: Create Clip as the user (one try: a call
// that may have made a clip is never repeated blindly, see CreateClipOutcome), Get Clips by id to
// confirm, and a search of the broadcaster's recent clips for one our user made, to find out
// whether an unanswered call made a clip after all.
import type { HelixClient } from '../sources/twitch/helix-client.ts';
import { HelixError } from '../sources/twitch/helix-error.ts';

/** One clip as Get Clips returns it (the fields we keep). */
export interface TwitchClip {
  id: string;
  url: string;
  embed_url: string;
  broadcaster_id: string;
  creator_id: string;
  video_id: string;
  title: string;
  created_at: string;
  thumbnail_url: string;
  duration: number;
  vod_offset: number | null;
}

/**
 * What a Create Clip call came to, as the failure policy sees it:
 * - `created`: Twitch accepted it (202); the clip still has to show up in Get Clips.
 * - `retry`: Twitch did not make a clip (429 rate limited, 408): call again after `afterMs`
 *   (the 429's Ratelimit-Reset) or a back-off.
 * - `uncertain`: no answer, or a 5xx: the clip may exist. Look for it before calling again.
 * - `forbidden` (403): the channel does not let us clip (restricted to followers or subs, or
 *   the user is banned there): leave the channel alone for a while.
 * - `offline` (404): nothing to clip.
 * - `rejected`: any other refusal (400, or 401 even after a token refresh); calling again cannot help.
 */
export type CreateClipOutcome =
  | { kind: 'created'; clipId: string; editUrl: string }
  | { kind: 'retry'; reason: 'rate_limited' | 'request_timeout'; afterMs: number | undefined }
  | { kind: 'uncertain'; reason: string }
  | { kind: 'forbidden'; message: string }
  | { kind: 'offline'; message: string }
  | { kind: 'rejected'; reason: string; message: string };

export interface CreateClipRequest {
  broadcasterId: string;
  title: string;
  durationS: number;
}

export class TwitchClips {
  private readonly client: HelixClient;

  constructor(client: HelixClient) {
    this.client = client;
  }

  async create(request: CreateClipRequest, signal?: AbortSignal): Promise<CreateClipOutcome> {
    let body: unknown;
    try {
      body = await this.client.request(
        'clips',
        {
          broadcaster_id: request.broadcasterId,
          title: request.title,
          duration: request.durationS,
        },
        { method: 'POST', auth: 'user', retry: false, signal },
      );
    } catch (error) {
      if (error instanceof HelixError) return outcomeOfFailure(error);
      throw error;
    }
    const created = (body as { data?: { id?: unknown; edit_url?: unknown }[] }).data?.[0];
    if (typeof created?.id !== 'string' || created.id === '') {
      // Accepted, but we cannot tell which clip: only a search can.
      return { kind: 'uncertain', reason: 'bad_response' };
    }
    return {
      kind: 'created',
      clipId: created.id,
      editUrl: typeof created.edit_url === 'string' ? created.edit_url : '',
    };
  }

  /** The clip, once Twitch has finished making it; undefined before (or if it never will). */
  async byId(clipId: string, signal?: AbortSignal): Promise<TwitchClip | undefined> {
    const body = await this.client.request('clips', { id: clipId }, { signal });
    return clipsOf(body).find((clip) => clip.id === clipId);
  }

  /** Clips of `broadcasterId` made by `creatorId` from `sinceTs` on, oldest first. */
  async madeBy(
    broadcasterId: string,
    creatorId: string,
    sinceTs: number,
    signal?: AbortSignal,
  ): Promise<TwitchClip[]> {
    const body = await this.client.request(
      'clips',
      {
        broadcaster_id: broadcasterId,
        // Twitch's created_at has whole seconds.
        started_at: new Date(Math.floor(sinceTs / 1000) * 1000).toISOString(),
        first: 100,
      },
      { signal },
    );
    return clipsOf(body)
      .filter(
        (clip) => clip.creator_id === creatorId && Date.parse(clip.created_at) >= sinceTs - 1000,
      )
      .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  }
}

function outcomeOfFailure(error: HelixError): CreateClipOutcome {
  const message = error.twitchMessage || error.message;
  switch (error.status) {
    case '429':
      return { kind: 'retry', reason: 'rate_limited', afterMs: error.retryAfterMs };
    case '408':
      return { kind: 'retry', reason: 'request_timeout', afterMs: undefined };
    case '403':
      return { kind: 'forbidden', message };
    case '404':
      return { kind: 'offline', message };
    case '401':
      return { kind: 'rejected', reason: 'unauthorized', message };
    default:
      // 5xx, timeouts, network errors, unreadable answers: the call may have been carried out.
      return error.transient
        ? {
            kind: 'uncertain',
            reason:
              error.status === 'timeout' || error.status === 'network'
                ? error.status
                : 'server_error',
          }
        : { kind: 'rejected', reason: `http_${error.status}`, message };
  }
}

function clipsOf(body: unknown): TwitchClip[] {
  const data = (body as { data?: unknown }).data;
  return Array.isArray(data) ? (data as TwitchClip[]) : [];
}
