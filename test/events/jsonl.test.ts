import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEvent } from '../../src/events/decode.ts';
import { Readable } from 'node:stream';
import {
  EventWriter,
  RejectTally,
  readEventBatches,
  readEventsFile,
} from '../../src/events/jsonl.ts';
import type { StreamEvent } from '../../src/events/schema.ts';
import { chat } from '../support/chat.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamscout-jsonl-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const events: StreamEvent[] = [
  {
    v: 1,
    type: 'lifecycle',
    kind: 'online',
    channel_id: '7',
    channel: 'seven',
    ts: 1_000,
    title: 'hi',
  },
  chat({
    ts: 2_000,
    channel_id: '7',
    channel: 'seven',
    text: 'Kappa hello',
    emotes: [{ id: '25', name: 'Kappa', start: 0, end: 4 }],
  }),
  { v: 1, type: 'viewers', channel_id: '7', ts: 3_000, viewers: 120 },
];

async function collect(path: string, tally?: RejectTally): Promise<StreamEvent[]> {
  const read: StreamEvent[] = [];
  for await (const event of readEventsFile(path, tally)) read.push(event);
  return read;
}

describe('JSONL event files', () => {
  it.each(['events.jsonl', 'events.jsonl.gz'])('round-trips %s', async (name) => {
    const path = join(dir, name);
    const writer = new EventWriter(path);
    for (const event of events) await writer.write(event);
    await writer.close();
    const bytes = await readFile(path);
    const text = name.endsWith('.gz') ? gunzipSync(bytes).toString() : bytes.toString();
    expect(text.trim().split('\n')).toHaveLength(3);
    expect(await collect(path)).toEqual(events);
  });

  it('recognises gzip by content, whatever the name', async () => {
    const gz = join(dir, 'events.jsonl.gz');
    const renamed = join(dir, 'renamed.log');
    await writeFile(renamed, await readFile(gz));
    expect(await collect(renamed)).toEqual(events);
  });

  it('counts each malformed line with its reason and keeps reading', async () => {
    const path = join(dir, 'mixed.jsonl');
    const good = JSON.stringify(events[1]);
    await writeFile(
      path,
      [good, '{"v":1', '', JSON.stringify({ ...events[1], ts: -5 }), '[]', good].join('\n'),
    );
    const tally = new RejectTally();
    expect(await collect(path, tally)).toHaveLength(2);
    expect(tally.count).toBe(3);
    expect(tally.samples.map((sample) => sample.line)).toEqual([2, 4, 5]);
    expect(tally.samples[0]!.reason).toMatch(/^invalid JSON/);
    expect(tally.samples[1]!.reason).toMatch(/^ts: /);
  });
});

describe('readEventBatches', () => {
  it('reassembles lines and characters split across chunks, with CRLF and no final newline', async () => {
    const withEmoji = chat({ ts: 4_000, channel_id: '7', channel: 'seven', text: 'gg 🎉 wp' });
    const text = [events[0], withEmoji, events[2]]
      .map((event) => JSON.stringify(event))
      .join('\r\n');
    const bytes = Buffer.from(text);
    // Cut every 7 bytes: through JSON, through the CRLF and through the emoji's four bytes.
    const chunks = [];
    for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
    const batches = [];
    for await (const batch of readEventBatches(Readable.from(chunks, { objectMode: false }))) {
      batches.push(batch);
    }
    expect(batches.flat()).toEqual([events[0], withEmoji, events[2]]);
  });
});

describe('decodeEvent', () => {
  it('names the field that is wrong', () => {
    const result = decodeEvent(JSON.stringify({ ...events[1], user_id: 42 }));
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^user_id: /) });
  });

  it('rejects unknown schema versions and event types', () => {
    expect(decodeEvent(JSON.stringify({ ...events[1], v: 2 })).ok).toBe(false);
    expect(decodeEvent(JSON.stringify({ ...events[1], type: 'whisper' }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^type: /),
    });
  });

  it('fills the optional chat fields with their defaults', () => {
    const result = decodeEvent(
      JSON.stringify({
        v: 1,
        type: 'chat',
        id: 'a',
        channel_id: '1',
        channel: 'c',
        user_id: 'u',
        user: 'u',
        text: 'hi',
        ts: 5,
      }),
    );
    expect(result.ok && result.event).toMatchObject({
      emotes: [],
      badges: {},
      bits: 0,
      first_msg: false,
    });
  });
});
