import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeClipCursor } from '../../src/storage/clip-cursor.ts';
import { encodeMomentCursor } from '../../src/storage/moment-cursor.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

describe('request validation', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.dispose());

  it.each([
    ['/api/v1/moments?limit=0', 'limit'],
    ['/api/v1/moments?limit=201', 'limit'],
    ['/api/v1/moments?limit=abc', 'limit'],
    ['/api/v1/moments?limit=2.5', 'limit'],
    ['/api/v1/moments?min_score=-1', 'min_score'],
    ['/api/v1/moments?min_score=lots', 'min_score'],
    ['/api/v1/moments?from=notadate', 'from'],
    ['/api/v1/moments?to=2024-13-45T00:00:00Z', 'to'],
    ['/api/v1/moments?from=2024-05-01T12:00:00', 'from'],
    ['/api/v1/moments?from=2024-05-02T00:00:00Z&to=2024-05-01T00:00:00Z', 'from'],
    ['/api/v1/moments?cursor=garbage', 'cursor'],
    [`/api/v1/moments?cursor=${Buffer.from('{"a":1}').toString('base64url')}`, 'cursor'],
    ['/api/v1/moments?channel=', 'channel'],
    ['/api/v1/clips?limit=0', 'limit'],
    ['/api/v1/clips?limit=101', 'limit'],
    ['/api/v1/clips?limit=ten', 'limit'],
    ['/api/v1/clips?min_score=-0.5', 'min_score'],
    ['/api/v1/clips?min_score=high', 'min_score'],
    ['/api/v1/clips?from=notadate', 'from'],
    ['/api/v1/clips?to=2024-05-01T12:00:00', 'to'],
    ['/api/v1/clips?from=2024-05-02T00:00:00Z&to=1714500000000', 'from'],
    ['/api/v1/clips?cursor=garbage', 'cursor'],
    ['/api/v1/clips?cursor=', 'cursor'],
    [`/api/v1/clips?cursor=${encodeMomentCursor({ startTs: 1, id: 'x' })}`, 'cursor'],
    [`/api/v1/clips?cursor=${encodeClipCursor('99999999999999999999')}`, 'cursor'],
    [`/api/v1/moments?cursor=${encodeClipCursor('12')}`, 'cursor'],
    ['/api/v1/clips?channel=', 'channel'],
    ['/api/v1/streams/alpha/metrics?limit=0', 'limit'],
    ['/api/v1/streams/alpha/metrics?limit=10001', 'limit'],
    ['/api/v1/streams/alpha/metrics?from=yesterday', 'from'],
    ['/api/v1/streams/alpha/metrics?from=1714600000000&to=1714500000000', 'from'],
    ['/v1.0/clip?limit=101', 'limit'],
    ['/v1.0/clip?limit=0', 'limit'],
    ['/v1.0/clip?offset=-1', 'offset'],
    ['/v1.0/clip?min_intensity=-3', 'min_intensity'],
    ['/v1.0/clip?start=soon', 'start'],
    ['/v1.0/clip?start=2024-05-02T00:00:00Z&end=2024-05-01T00:00:00Z', 'start'],
  ])('GET %s is a 400 naming %s', async (url, field) => {
    const response = await api.app.inject(url);
    expect(response.statusCode).toBe(400);
    const body = response.json<{ error: string; field: string; message: string }>();
    expect(body).toMatchObject({ error: 'bad_request', field });
    expect(body.message).toContain(field);
  });

  it.each([
    '/api/v1/moments?from=2024-05-01T12:00:00Z&to=1714600000000&min_score=0&limit=200',
    '/api/v1/moments?from=2024-05-01&to=2024-05-01T12:00:00.500%2B02:00',
    `/api/v1/moments?cursor=${encodeMomentCursor({ startTs: 1, id: 'x' })}`,
    '/v1.0/clip?limit=100&offset=0&min_intensity=0&start=2024-05-01T00:00:00Z',
    '/api/v1/clips?channel=alpha&min_score=0&limit=100&from=2024-05-01&to=1714600000000',
    `/api/v1/clips?cursor=${encodeClipCursor('9223372036854775807')}`,
  ])('GET %s is accepted', async (url) => {
    expect((await api.app.inject(url)).statusCode).toBe(200);
  });
});
