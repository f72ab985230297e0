// The moments feed: newest first, keyset-paginated, so a reader paging through a live feed
// never sees an item twice or misses one. Each moment carries its clip, or null.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { decodeMomentCursor } from '../../storage/moment-cursor.ts';
import type { Store } from '../../storage/store.ts';
import { toFeedMoment } from '../feed-clip.ts';
import { MomentSchema, errorResponses, feedQuerySchema, nextCursor } from '../schemas.ts';

const MomentsQuerySchema = feedQuerySchema({
  from: 'Moments starting at or after this time',
  to: 'Moments starting before this time',
  limit: { max: 200, default: 50 },
  decodeCursor: decodeMomentCursor,
});

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
              next_cursor: nextCursor,
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const { min_score, ...query } = request.query;
        const page = await store.listMoments({ ...query, minScore: min_score });
        return { moments: page.moments.map(toFeedMoment), next_cursor: page.next_cursor };
      },
    );
  };
}
