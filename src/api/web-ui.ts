// The web UI: a built Vite app served from `webRoot`, with SPA fallback so a deep link such as
// /streams/alpha loads index.html and the client router takes over. API paths never fall back.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendNotFound } from './errors.ts';

const API_PREFIXES = [
  '/api',
  '/v1.0',
  '/docs',
  '/openapi.json',
  '/health',
  '/live',
  '/ready',
  '/metrics',
];

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Stream Scout</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>Stream Scout</h1>
<p>The API is running, but the web UI has not been built.</p>
<p>Build it with <code>npm run build:web</code>, then restart the server.</p>
<p>Meanwhile: <a href="/docs">API documentation</a> &middot; <a href="/api/v1/streams">/api/v1/streams</a></p>
</body>
</html>
`;

export async function registerWebUi(
  app: FastifyInstance,
  webRoot: string | undefined,
): Promise<void> {
  const built = webRoot !== undefined && (await exists(join(webRoot, 'index.html')));
  if (!built) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html').send(NOT_BUILT_PAGE),
    );
    app.setNotFoundHandler(sendNotFound);
    return;
  }
  // wildcard: false serves exactly the files present at start; anything else reaches the fallback.
  await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  app.setNotFoundHandler((request, reply) =>
    isPageRequest(request) ? reply.sendFile('index.html') : sendNotFound(request, reply),
  );
}

/** A browser navigating to a client-side route, not an API call or a missing asset. */
function isPageRequest(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    !API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) &&
    !lastSegment.includes('.')
  );
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
