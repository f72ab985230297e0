// The OpenAPI 3.1 document (at /openapi.json) generated from the routes' zod schemas, and the
// interactive docs page at /docs.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

export const LIVE_FEED_PATH = '/api/v1/live';

/** Registers the generator; must come before the routes so it sees each of them. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Stream Scout API',
        description: 'Moments detected in Twitch live chat, live stream metrics and clips.',
        version: '1.0.0',
      },
      tags: [
        { name: 'streams', description: 'Channels and their live metrics' },
        { name: 'moments', description: 'Chat spikes with their explanation' },
        { name: 'clips', description: 'Clips of moments: the feed and the seed-compatible API' },
        { name: 'live', description: 'WebSocket push of moments and metrics' },
        { name: 'operations', description: 'Probes and Prometheus metrics' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => completeDocument(jsonSchemaTransformObject(document)),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;

interface DocumentParts {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Adds the live feed, which @fastify/websocket hides from the document, and drops named schemas
 * nothing refers to: the zod provider emits an input and an output variant of each, and ours
 * describe responses only.
 */
function completeDocument(document: OpenApiDocument): OpenApiDocument {
  const { paths = {}, components = {} } = document as DocumentParts;
  const allPaths = { ...paths, [LIVE_FEED_PATH]: LIVE_FEED_DESCRIPTION };
  const schemas = components.schemas ?? {};
  const everything = JSON.stringify({ allPaths, schemas });
  const used = Object.entries(schemas).filter(([name]) =>
    everything.includes(`"#/components/schemas/${name}"`),
  );
  return {
    ...document,
    paths: allPaths,
    components: { ...components, schemas: Object.fromEntries(used) },
  } as OpenApiDocument;
}

const LIVE_FEED_DESCRIPTION = {
  get: {
    tags: ['live'],
    summary: 'WebSocket live feed',
    description:
      'Upgrade to a WebSocket. Every message is JSON: first `{"type":"hello"}`, then ' +
      '`{"type":"moment","moment":Moment}` for each moment saved (again, with its `clip`, ' +
      'when a clip of it is stored) and ' +
      '`{"type":"metrics","metrics":[ChannelMetrics]}` for each batch of live-metrics windows. ' +
      'A client that reads too slowly misses messages instead of being buffered without bound.',
    responses: { '101': { description: 'Switching to the WebSocket protocol' } },
  },
};
