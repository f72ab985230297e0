// The moments feed: newest first, keyset-paginated, so a reader paging through a live feed
// never sees an item twice or misses one.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeMomentCursor } from '../../storage/moment-cursor.ts';
import type { Store } from '../../storage/store.ts';
import {
  MomentSchema,
  channelParam,
  errorResponses,
  integerParam,
  nonNegativeNumberParam,
  orderedRange,
  timestampParam,
} from '../schemas.ts';

const MomentsQuerySchema = z
  .object({
    channel: channelParam.optional(),
    from: timestampParam('from', 'Moments starting at or after this time'),
    to: timestampParam('to', 'Moments starting before this time'),
    min_score: nonNegativeNumberParam('min_score').optional(),
    limit: integerParam('limit', 1, 200).default(50),
    cursor: z
      .string()
      .refine(
        (text) => decodeMomentCursor(text) !== null,
        'cursor must be a next_cursor returned by this API',
      )
      .optional()
      .describe('next_cursor of the previous page'),
  })
  .superRefine(orderedRange('from', 'to'));

export function momentRoutes(store: Store): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/moments',
      {
        schema: {
          tags: ['moments'],
          summary: 'Detected moments, newest first',
          querystring: MomentsQuerySchema,
          response: {
            200: z.object({
              moments: z.array(MomentSchema),
              next_cursor: z
                .string()
                .nullable()
                .describe('Pass as `cursor` for the next page; null on the last'),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { min_score, ...query } = request.query;
        return store.listMoments({ ...query, minScore: min_score });
      },
    );
  };
}
