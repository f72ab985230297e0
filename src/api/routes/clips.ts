// The clips feed, GET /api/v1/clips: newest stored first, keyset-paginated like the moments feed,
// so a reader scrolling while clips arrive never sees one twice or misses one.
// GET /v1.0/clip, kept compatible with the seed's API: same parameters, defaults and response
// fields (clips with streamer_login, count, total_count, has_more), so its UI keeps working.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeClipCursor } from '../../storage/clip-cursor.ts';
import type { Clip, Store } from '../../storage/store.ts';
import { toFeedClip } from '../feed-clip.ts';
import {
  FeedClipSchema,
  errorResponses,
  feedQuerySchema,
  integerParam,
  nextCursor,
  nonNegativeNumberParam,
  orderedRange,
  timestampParam,
} from '../schemas.ts';

const ClipsQuerySchema = feedQuerySchema({
  from: 'Clips of moments detected at or after this time',
  to: 'Clips of moments detected before this time',
  limit: { max: 100, default: 24 },
  decodeCursor: decodeClipCursor,
});

/** The seed's "Getting Good" level: its UI's default feed. */
const DEFAULT_MIN_INTENSITY = 9;

const ClipQuerySchema = z
  .object({
    start: timestampParam('start', 'Clips detected at or after this time'),
    end: timestampParam('end', 'Clips detected before this time'),
    limit: integerParam('limit', 1, 100).default(24),
    min_intensity: nonNegativeNumberParam('min_intensity').default(DEFAULT_MIN_INTENSITY),
    offset: integerParam('offset', 0).default(0),
  })
  .superRefine(orderedRange('start', 'end'));

const isoTime = z.string().describe('ISO 8601 date-time (UTC)');

const SeedClipSchema = z
  .object({
    id: z.string().describe('Same as clip_id'),
    clip_id: z.string(),
    broadcaster_id: z.string(),
    streamer_login: z.string(),
    moment_id: z.string().nullable(),
    url: z.string(),
    embed_url: z.string(),
    thumbnail_url: z.string().nullable(),
    title: z.string().nullable(),
    detected_at: isoTime,
    created_at: isoTime,
    intensity: z.number(),
    duration: z.number().nullable().describe('Seconds'),
    vod_offset: z.number().int().nullable().describe('Seconds into the VOD'),
  })
  .meta({ id: 'SeedClip' });

export function clipRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/clips',
      {
        schema: {
          tags: ['clips'],
          summary: 'Clips, newest stored first (keyset pagination)',
          description:
            'Pages never repeat or skip a clip while new ones are stored: a new clip only ' +
            'appears on a first page (no cursor).',
          querystring: ClipsQuerySchema,
          response: {
            200: z.object({ clips: z.array(FeedClipSchema), next_cursor: nextCursor }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { min_score, ...query } = request.query;
        const page = await store.listClipPage({ ...query, minScore: min_score });
        return { clips: page.clips.map(toFeedClip), next_cursor: page.next_cursor };
      },
    );

    app.get(
      '/v1.0/clip',
      {
        schema: {
          tags: ['clips'],
          summary: 'Clips, newest detected first (seed-compatible, offset pagination)',
          querystring: ClipQuerySchema,
          response: {
            200: z.object({
              clips: z.array(SeedClipSchema),
              count: z.number().int(),
              total_count: z.number().int(),
              has_more: z.boolean(),
              query: z.object({
                start: isoTime.nullable(),
                end: isoTime.nullable(),
                min_intensity: z.number(),
                limit: z.number().int(),
                offset: z.number().int(),
              }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { start, end, limit, offset, min_intensity } = request.query;
        const { clips, total_count } = await store.listClips({
          start,
          end,
          minIntensity: min_intensity,
          limit,
          offset,
        });
        return {
          clips: clips.map(toSeedClip),
          count: clips.length,
          total_count,
          has_more: offset + clips.length < total_count,
          query: { start: isoOrNull(start), end: isoOrNull(end), min_intensity, limit, offset },
        };
      },
    );
  };
}

function toSeedClip(clip: Clip) {
  return {
    id: clip.clip_id,
    clip_id: clip.clip_id,
    broadcaster_id: clip.channel_id,
    streamer_login: clip.channel,
    moment_id: clip.moment_id,
    url: clip.url,
    embed_url: clip.embed_url,
    thumbnail_url: clip.thumbnail_url,
    title: clip.title,
    detected_at: new Date(clip.detected_at).toISOString(),
    created_at: new Date(clip.created_at).toISOString(),
    intensity: clip.intensity,
    duration: clip.duration,
    vod_offset: clip.vod_offset,
  };
}

function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}
