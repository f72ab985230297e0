// The HTTP contract in zod: validates requests, shapes responses and feeds the OpenAPI document.
// Each schema is checked against the domain type it mirrors (`satisfies`), so they cannot drift.
import { z } from 'zod';
import type { ChannelMetrics } from '../processing/channel-metrics.ts';
import { SIGNALS, type MomentExplanation, type Ranked } from '../processing/moment.ts';
import type { StreamSummary } from '../storage/store.ts';
import type { FeedClip, FeedMoment, FeedMomentClip } from './feed-clip.ts';
import type { ReadinessCheck } from './readiness.ts';

const epochMs = z.number().int().describe('Epoch milliseconds (UTC)');

export const RankedSchema = z
  .object({ name: z.string(), count: z.number().int() })
  .meta({ id: 'Ranked' }) satisfies z.ZodType<Ranked>;

export const MomentExplanationSchema = z
  .object({
    summary: z.string().describe('One sentence a person can read: why this fired'),
    signal: z
      .enum(SIGNALS)
      .optional()
      .describe(
        'The most surprising signal at the peak: distinct chatters, messages, or messages with emotes',
      ),
    rate: z.number().describe('Messages per second in the detection window at the peak'),
    baseline_rate: z.number().describe('Messages per second the channel normally has'),
    chatters_rate: z.number().describe('Distinct chatters per second at the peak'),
    baseline_chatters_rate: z.number().describe('Distinct chatters per second normally'),
    unique_chatters: z.number().int().describe('Distinct chatters over the whole moment'),
    messages: z.number().int(),
    top_emotes: z.array(RankedSchema),
    top_phrases: z.array(RankedSchema),
    samples: z.array(z.string()),
  })
  .meta({ id: 'MomentExplanation' }) satisfies z.ZodType<MomentExplanation>;

export const ChannelMetricsSchema = z
  .object({
    channel_id: z.string(),
    channel: z.string(),
    ts: epochMs.describe('End of the window (epoch ms)'),
    window_ms: z.number().int(),
    messages: z.number().int(),
    chat_rate: z.number().describe('Messages per second over the window'),
    unique_chatters: z.number().int(),
    viewers: z.number().int().nullable(),
    top_emotes: z.array(RankedSchema),
  })
  .meta({ id: 'ChannelMetrics' }) satisfies z.ZodType<ChannelMetrics>;

export const StreamSummarySchema = z
  .object({
    channel_id: z.string(),
    channel: z.string(),
    display_name: z.string().nullable(),
    live: z.boolean(),
    title: z.string().nullable(),
    game: z.string().nullable(),
    language: z.string().nullable(),
    started_at: epochMs.nullable(),
    viewers: z.number().int().nullable(),
    chat_rate: z.number().nullable(),
    unique_chatters: z.number().int().nullable(),
    metrics_ts: epochMs.nullable(),
    recent_moments: z
      .number()
      .int()
      .describe('Moments in the hour before the newest metrics window'),
  })
  .meta({ id: 'StreamSummary' }) satisfies z.ZodType<StreamSummary>;

export const FeedClipSchema = z
  .object({
    clip_id: z.string().describe('Twitch clip id (the slug in its URL)'),
    moment_id: z.string().nullable().describe('The moment the clip was taken for'),
    channel_id: z.string(),
    channel: z.string().describe('Channel login'),
    url: z.string(),
    embed_url: z
      .string()
      .describe("Twitch's embed URL; add `parent=<your page's hostname>` before using it"),
    thumbnail_url: z.string().nullable(),
    title: z.string().nullable(),
    score: z.number().describe("The moment's score"),
    duration: z.number().nullable().describe('Seconds'),
    vod_offset: z.number().int().nullable().describe('Seconds into the VOD'),
    detected_at: epochMs.describe('When the moment was detected (epoch ms)'),
    created_at: epochMs.describe('When the clip was stored (epoch ms)'),
    peak_ts: epochMs.nullable().describe("The moment's peak (epoch ms); null when unknown"),
    clip_start_ts: epochMs
      .nullable()
      .describe('Start of the stretch of stream the clip covers, as estimated (epoch ms)'),
    clip_end_ts: epochMs.nullable().describe('Its end (epoch ms)'),
    peak_offset_s: z
      .number()
      .int()
      .nullable()
      .describe("Seconds from the clip's start to the peak; null when unknown or outside the clip"),
  })
  .meta({ id: 'Clip' }) satisfies z.ZodType<FeedClip>;

export const MomentClipSchema = FeedClipSchema.pick({
  clip_id: true,
  url: true,
  embed_url: true,
  thumbnail_url: true,
  duration: true,
  peak_offset_s: true,
}).meta({ id: 'MomentClip' }) satisfies z.ZodType<FeedMomentClip>;

export const MomentSchema = z
  .object({
    id: z.string().describe('Deterministic from channel and start second'),
    channel_id: z.string(),
    channel: z.string().describe('Channel login'),
    start_ts: epochMs,
    peak_ts: epochMs,
    end_ts: epochMs,
    score: z.number(),
    explanation: MomentExplanationSchema,
    live: z
      .boolean()
      .describe(
        'The moment is still happening: end_ts, score and explanation are what is known so far, ' +
          'and the moment comes again (on the live feed too) when it ends, under the same id',
      ),
    clip: MomentClipSchema.nullable().describe(
      'The clip taken of the moment; null until one is stored (a clip confirmed later is pushed ' +
        'on the live feed with its moment)',
    ),
  })
  .meta({ id: 'Moment' }) satisfies z.ZodType<FeedMoment>;

export const ReadinessCheckSchema = z
  .object({ name: z.string(), ok: z.boolean(), detail: z.string().optional() })
  .meta({ id: 'ReadinessCheck' }) satisfies z.ZodType<ReadinessCheck>;

export const ErrorSchema = z
  .object({
    error: z
      .string()
      .describe('Machine-readable kind: bad_request, not_found, internal_error, ...'),
    field: z.string().optional().describe('The request parameter at fault, for bad_request'),
    message: z.string(),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof ErrorSchema>;

/** What any route may answer besides success: a request it cannot accept, or a failure on our side. */
export const errorResponses = { 400: ErrorSchema, 500: ErrorSchema };

/** An integer query parameter; the message names the range so a caller can fix the request. */
export function integerParam(name: string, min: number, max: number = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return z.coerce
    .number({ error: `${name} must be an integer ${range}` })
    .int()
    .min(min)
    .max(max);
}

export function nonNegativeNumberParam(name: string) {
  return z.coerce.number({ error: `${name} must be a number >= 0` }).min(0);
}

/**
 * Epoch milliseconds, or null when `text` is neither digits nor an ISO 8601 date or date-time.
 * A date-time must carry its zone (Z or an offset): without one it would be read in whatever
 * zone the server runs in.
 */
export function parseTimestamp(text: string): number | null {
  if (/^\d{1,15}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text))
    return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}

/** An optional time as ISO 8601 or epoch milliseconds, turned into epoch milliseconds. */
export function timestampParam(name: string, meaning: string) {
  return z
    .string()
    .transform((text, context) => {
      const ms = parseTimestamp(text);
      if (ms === null) {
        context.addIssue({
          code: 'custom',
          message: `${name} must be an ISO 8601 date-time or epoch milliseconds`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .optional()
    .describe(`${meaning}: ISO 8601 (e.g. 2024-05-01T12:00:00Z) or epoch milliseconds`);
}

/** Refinement for queries with a time range: its start must not come after its end. */
export function orderedRange<Start extends string, End extends string>(start: Start, end: End) {
  return (query: { [key in Start | End]?: number }, context: z.RefinementCtx): void => {
    const [first, last] = [query[start], query[end]];
    if (first !== undefined && last !== undefined && first > last) {
      context.addIssue({
        code: 'custom',
        path: [start],
        message: `${start} must not be after ${end}`,
      });
    }
  };
}

/**
 * The query of a newest-first feed read with a keyset cursor (moments, clips): the same
 * parameters, names and errors for both. `decodeCursor` tells whether a text is a cursor this
 * server issued for that feed.
 */
export function feedQuerySchema(options: {
  from: string;
  to: string;
  limit: { max: number; default: number };
  decodeCursor: (text: string) => unknown;
}) {
  return z
    .object({
      channel: channelParam.optional(),
      from: timestampParam('from', options.from),
      to: timestampParam('to', options.to),
      min_score: nonNegativeNumberParam('min_score').optional(),
      limit: integerParam('limit', 1, options.limit.max).default(options.limit.default),
      cursor: z
        .string()
        .refine(
          (text) => options.decodeCursor(text) !== null,
          'cursor must be a next_cursor returned by this API',
        )
        .optional()
        .describe('next_cursor of the previous page'),
    })
    .superRefine(orderedRange('from', 'to'));
}

/** The `next_cursor` field of a keyset-paginated answer. */
export const nextCursor = z
  .string()
  .nullable()
  .describe('Pass as `cursor` for the next page; null on the last');

export const channelParam = z
  .string({ error: 'channel must be a login or a Twitch user id, 1 to 128 characters' })
  .min(1)
  .max(128)
  .describe('Channel login or Twitch user id');
