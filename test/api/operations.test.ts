import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadinessCheck } from '../../src/api/readiness.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('probes, metrics, OpenAPI and errors', () => {
  let api: TestApi;
  let checks: ReadinessCheck[] = [];
  beforeAll(async () => {
    api = await startTestApi({ readiness: async () => checks });
  });
  afterAll(() => api.dispose());

  it('is live whatever its dependencies say', async () => {
    checks = [{ name: 'database', ok: false, detail: 'connection refused' }];
    const response = await api.app.inject('/live');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready only when every check passes, naming the failing ones otherwise', async () => {
    checks = [
      { name: 'database', ok: true },
      { name: 'pipeline', ok: false, detail: 'processor stopped' },
    ];
    let response = await api.app.inject('/ready');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      status: 'unavailable',
      checks: [{ name: 'pipeline', ok: false, detail: 'processor stopped' }],
    });

    checks = [
      { name: 'database', ok: true },
      { name: 'pipeline', ok: true },
    ];
    response = await api.app.inject('/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', checks: [] });
  });

  it('reports every check on /health with 503 when one fails', async () => {
    checks = [
      { name: 'database', ok: false, detail: 'timeout' },
      { name: 'pipeline', ok: true },
    ];
    const response = await api.app.inject('/health');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: 'unavailable', checks });
  });

  it('is not ready when the checks themselves fail', async () => {
    const failing = await startTestApi({
      readiness: async () => {
        throw new Error('database pool closed');
      },
    });
    try {
      const response = await failing.app.inject('/ready');
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        checks: [{ ok: false, detail: 'database pool closed' }],
      });
    } finally {
      await failing.dispose();
    }
  });

  it('exposes Prometheus metrics, request durations by route pattern included', async () => {
    await api.app.inject('/api/v1/streams/somebody/metrics');
    const response = await api.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toContain('streamscout_websocket_clients');
    expect(response.body).toMatch(
      /streamscout_http_request_seconds_count\{route="\/api\/v1\/streams\/:channel\/metrics",status="404"\} 1/,
    );
  });

  it('publishes an OpenAPI document listing every route, and a docs page', async () => {
    const document = (await api.app.inject('/openapi.json')).json<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>();
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Moment',
        'ChannelMetrics',
        'StreamSummary',
        'Clip',
        'SeedClip',
        'Error',
      ]),
    );
    expect(Object.keys(document.components.schemas)).not.toContain('MomentInput');
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual(
      [
        '/api/v1/clips',
        '/api/v1/live',
        '/api/v1/moments',
        '/api/v1/streams',
        '/api/v1/streams/{channel}/metrics',
        '/health',
        '/live',
        '/metrics',
        '/ready',
        '/v1.0/clip',
      ].sort(),
    );
    const docs = await api.app.inject('/docs');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
  });

  it('answers a failure on our side with a generic 500, details only in the log', async () => {
    const broken = await startTestApi();
    try {
      await broken.store.close();
      const response = await broken.app.inject('/api/v1/moments');
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: 'internal_error',
        message: 'internal server error',
      });
    } finally {
      await broken.dispose();
    }
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const response = await api.app.inject('/api/v1/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: 'not_found',
      message: 'no route for GET /api/v1/nothing-here',
    });
  });

  it('explains how to build the web UI when it is missing', async () => {
    const response = await api.app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('npm run build:web');
  });
});

describe('the built web UI', () => {
  let api: TestApi;
  let webRoot: string;
  beforeAll(async () => {
    webRoot = await mkdtemp(join(tmpdir(), 'streamscout-web-'));
    await mkdir(join(webRoot, 'assets'));
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    await writeFile(join(webRoot, 'assets', 'app.js'), 'console.log("ui")');
    api = await startTestApi({ webRoot });
  });
  afterAll(async () => {
    await api.dispose();
    await rm(webRoot, { recursive: true, force: true });
  });

  it('serves index.html at / and its assets', async () => {
    expect((await api.app.inject('/')).body).toContain('id="root"');
    const asset = await api.app.inject('/assets/app.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toContain('console.log');
  });

  it('falls back to index.html for client-side routes, never for API paths or missing files', async () => {
    const page = await api.app.inject('/streams/alpha');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="root"');
    expect((await api.app.inject('/api/v1/unknown')).statusCode).toBe(404);
    expect((await api.app.inject('/assets/missing.js')).statusCode).toBe(404);
  });
});
