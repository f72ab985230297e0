// The stream list and each channel's live-metrics history.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Store } from '../../storage/store.ts';
import { NotFoundError } from '../errors.ts';
import { reuseRecent } from '../reuse-recent.ts';
import {
  ChannelMetricsSchema,
  ErrorSchema,
  StreamSummarySchema,
  channelParam,
  errorResponses,
  integerParam,
  orderedRange,
  timestampParam,
} from '../schemas.ts';

/** Metrics windows advance every 10 s: a stream list one second old is still current. */
const STREAM_LIST_MAX_AGE_MS = 1_000;
/** 360 windows of 10 s: the last hour. */
const DEFAULT_METRICS_LIMIT = 360;
const MAX_METRICS_LIMIT = 10_000;

const MetricsQuerySchema = z
  .object({
    from: timestampParam('from', 'Window end at or after this time'),
    to: timestampParam('to', 'Window end before this time'),
    limit: integerParam('limit', 1, MAX_METRICS_LIMIT).default(DEFAULT_METRICS_LIMIT),
  })
  .superRefine(orderedRange('from', 'to'));

export function streamRoutes(store: Store): FastifyPluginAsyncZod {
  const listStreams = reuseRecent(() => store.listStreams(), STREAM_LIST_MAX_AGE_MS);
  return async (app) => {
    app.get(
      '/api/v1/streams',
      {
        schema: {
          tags: ['streams'],
          summary: 'Known channels: live first, then by viewers',
          response: { 200: z.object({ streams: z.array(StreamSummarySchema) }), 500: ErrorSchema },
        },
      },
      async () => ({ streams: await listStreams() }),
    );

    app.get(
      '/api/v1/streams/:channel/metrics',
      {
        schema: {
          tags: ['streams'],
          summary:
            "A channel's live-metrics windows, oldest to newest (the newest `limit` in range)",
          params: z.object({ channel: channelParam }),
          querystring: MetricsQuerySchema,
          response: {
            200: z.object({
              channel_id: z.string(),
              channel: z.string(),
              metrics: z.array(ChannelMetricsSchema),
            }),
            404: ErrorSchema,
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { channel } = request.params;
        const found = await store.channelMetrics({ channel, ...request.query });
        if (found === null) throw new NotFoundError(`unknown channel '${channel}'`);
        return found;
      },
    );
  };
}
