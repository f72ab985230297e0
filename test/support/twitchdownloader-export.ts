// Builders of TwitchDownloader chat exports for tests, in the shape TwitchDownloader writes.
import { lcg } from './chat.ts';

export const STREAM_START = '2024-05-01T18:00:00Z';
export const STREAM_START_MS = Date.parse(STREAM_START);

export interface CommentSpec {
  offset: number;
  user: string;
  /** Text and emote fragments, in order; an emote is `{ emote: name, id }`. */
  fragments?: (string | { emote: string; id: string })[];
  badges?: Record<string, string>;
  bits?: number;
  id?: string;
}

let sequence = 0;

export function exportComment(spec: CommentSpec): Record<string, unknown> {
  sequence += 1;
  const fragments = (spec.fragments ?? ['hello chat']).map((fragment) =>
    typeof fragment === 'string'
      ? { text: fragment, emoticon: null }
      : { text: fragment.emote, emoticon: { emoticon_id: fragment.id, emoticon_set_id: '' } },
  );
  return {
    _id: spec.id ?? `comment-${sequence}`,
    created_at: new Date(STREAM_START_MS + spec.offset * 1000).toISOString(),
    channel_id: '42',
    content_type: 'video',
    content_id: '2100000000',
    content_offset_seconds: spec.offset,
    commenter: {
      display_name: spec.user.toUpperCase(),
      _id: `id-${spec.user}`,
      name: spec.user,
      bio: 'a [tricky] "bio" with {braces}, commas and \\ backslashes',
      created_at: '2019-01-01T00:00:00Z',
      updated_at: '2024-01-01T00:00:00Z',
      logo: 'https://example.invalid/logo.png',
    },
    source: 'chat',
    state: 'published',
    message: {
      body: fragments.map((fragment) => fragment.text).join(''),
      bits_spent: spec.bits ?? 0,
      fragments,
      is_action: false,
      user_badges: Object.entries(spec.badges ?? {}).map(([_id, version]) => ({ _id, version })),
      user_color: '#1E90FF',
      emoticons: [],
    },
    more_replies: false,
  };
}

export function chatExport(
  comments: unknown[],
  video: Record<string, unknown> = { created_at: STREAM_START },
): Record<string, unknown> {
  return {
    FileInfo: { Version: { Major: 1, Minor: 4, Patch: 0 }, CreatedAt: '2024-05-02T00:00:00Z' },
    streamer: { name: 'Answer', id: 42 },
    video: {
      title: 'a long stream',
      id: '2100000000',
      start: 0,
      end: 1200,
      length: 1200,
      ...video,
    },
    comments,
    embeddedData: { thirdParty: [], firstParty: [], twitchBadges: [], twitchBits: [] },
  };
}

/** Second of the stream at which the planted burst starts. */
export const BURST_AT_S = 600;

/**
 * Twenty minutes of quiet chat (one regular every 4 s), a burst of 40 distinct viewers
 * spamming an emote at 10:00, and two malformed comments: one moment to find.
 */
export function burstExport(): {
  root: Record<string, unknown>;
  comments: number;
  malformed: number;
} {
  const random = lcg(7);
  const comments: unknown[] = [];
  for (let second = 0; second < 1200; second += 4) {
    const user = `regular${Math.floor(random() * 15)}`;
    comments.push(
      exportComment({
        offset: second + Math.round(random() * 1000) / 1000,
        user,
        fragments: [`talking about level ${second} `, { emote: 'Kappa', id: '25' }],
        ...(second % 40 === 0 && { badges: { subscriber: '12', moderator: '1' } }),
        ...(second % 100 === 0 && { bits: 100 }),
      }),
    );
  }
  for (let viewer = 0; viewer < 40; viewer++) {
    comments.push(
      exportComment({
        offset: BURST_AT_S + viewer * 0.1,
        user: `fan${viewer}`,
        fragments: [
          { emote: 'PogChamp', id: '305954156' },
          ' no way ',
          { emote: 'PogChamp', id: '305954156' },
        ],
      }),
    );
  }
  comments.sort(
    (a, b) =>
      (a as { content_offset_seconds: number }).content_offset_seconds -
      (b as { content_offset_seconds: number }).content_offset_seconds,
  );
  const missingUserId = exportComment({ offset: 300.5, user: 'ghost' });
  delete (missingUserId.commenter as Record<string, unknown>)._id;
  const badOffset = {
    ...exportComment({ offset: 900, user: 'late' }),
    content_offset_seconds: 'soon',
  };
  comments.splice(100, 0, missingUserId);
  comments.splice(250, 0, badOffset);
  return { root: chatExport(comments), comments: comments.length, malformed: 2 };
}
