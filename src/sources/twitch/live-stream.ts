// A live stream as discovery uses it, read from one element of Helix Get Streams' `data`.
// Reading is lenient: only the identity (user id and login) is required, so one odd field in
// Twitch's answer cannot make a live stream look offline.

export interface LiveStream {
  /** Twitch's stream id: one per broadcast. */
  streamId: string;
  /** The broadcaster's user id: the canonical events' `channel_id`. */
  channelId: string;
  /** The broadcaster's login (lower case): what chat joins. */
  login: string;
  displayName: string;
  gameId: string;
  gameName: string;
  title: string;
  viewers: number;
  language: string;
  /** Epoch ms; undefined when Twitch's value does not parse. */
  startedAt: number | undefined;
}

/** One element of Get Streams' `data`, or undefined when it lacks a user id or login. */
export function readLiveStream(item: unknown): LiveStream | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const raw = item as Record<string, unknown>;
  const channelId = text(raw.user_id);
  const login = text(raw.user_login).toLowerCase();
  if (channelId === '' || login === '') return undefined;
  const startedAt = Date.parse(text(raw.started_at));
  const viewers = raw.viewer_count;
  return {
    streamId: text(raw.id),
    channelId,
    login,
    displayName: text(raw.user_name) || login,
    gameId: text(raw.game_id),
    gameName: text(raw.game_name),
    title: text(raw.title),
    viewers:
      typeof viewers === 'number' && Number.isFinite(viewers)
        ? Math.max(0, Math.round(viewers))
        : 0,
    language: text(raw.language),
    startedAt: Number.isNaN(startedAt) ? undefined : startedAt,
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
