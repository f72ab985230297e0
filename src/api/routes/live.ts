// WebSocket /api/v1/live: pushes moments and live-metrics windows as they are saved
// (documented in openapi.ts, since WebSocket routes carry no schema).
import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from '../live-feed.ts';
import { LIVE_FEED_PATH } from '../openapi.ts';

export function liveRoutes(feed: LiveFeed) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(LIVE_FEED_PATH, { websocket: true }, (socket) => {
      const remove = feed.add(socket);
      socket.on('close', remove);
    });
  };
}
