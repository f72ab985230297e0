import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RejectTally } from '../../src/events/jsonl.ts';
import type { ChatMessage } from '../../src/events/schema.ts';
import {
  NotAnExportError,
  REORDER_WINDOW_MS,
  looksLikeTwitchDownloaderExport,
  readTwitchDownloaderEvents,
  readTwitchDownloaderFile,
  type TwitchDownloaderReadOptions,
} from '../../src/events/twitchdownloader.ts';
import {
  STREAM_START_MS,
  burstExport,
  chatExport,
  exportComment,
} from '../support/twitchdownloader-export.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamscout-twitchdownloader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(events: AsyncIterable<ChatMessage>): Promise<ChatMessage[]> {
  const read: ChatMessage[] = [];
  for await (const event of events) read.push(event);
  return read;
}

/** Reads export text handed over in chunks of `size` characters (all at once by default). */
function read(
  text: string,
  options: TwitchDownloaderReadOptions = {},
  size = text.length || 1,
): Promise<ChatMessage[]> {
  const chunks: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return collect(readTwitchDownloaderEvents(Readable.from(chunks), options));
}

describe('TwitchDownloader chat exports', () => {
  it('maps a comment to a canonical chat event', async () => {
    const comment = exportComment({
      id: 'c-1',
      offset: 12.3456,
      user: 'viewer_one',
      fragments: ['hi ', { emote: 'Kappa', id: '25' }],
      badges: { subscriber: '6', vip: '1' },
      bits: 50,
    });
    const [event] = await read(JSON.stringify(chatExport([comment])));
    expect(event).toEqual({
      v: 1,
      type: 'chat',
      id: 'c-1',
      channel_id: '42',
      channel: 'answer',
      ts: STREAM_START_MS + 12_346,
      user_id: 'id-viewer_one',
      user: 'viewer_one',
      display_name: 'VIEWER_ONE',
      text: 'hi Kappa',
      emotes: [{ id: '25', name: 'Kappa', start: 3, end: 7 }],
      badges: { subscriber: '6', vip: '1' },
      bits: 50,
      first_msg: false,
      returning: false,
      mod: false,
      sub: true,
      vip: true,
    });
  });

  it('places emotes at JavaScript string indices, after emoji and repeated names', async () => {
    const comment = exportComment({
      offset: 1,
      user: 'emoji_fan',
      fragments: [
        '🎉🎉 ',
        { emote: 'LUL', id: '425618' },
        ' LUL is not an emote here, ',
        { emote: 'LUL', id: '425618' },
        ' ',
        { emote: 'PogChamp', id: '305954156' },
      ],
      badges: { founder: '0', moderator: '1' },
    });
    const [event] = await read(JSON.stringify(chatExport([comment])));
    expect(event!.emotes.map((emote) => emote.name)).toEqual(['LUL', 'LUL', 'PogChamp']);
    expect(event!.emotes[0]).toMatchObject({ start: 5, end: 7 });
    for (const emote of event!.emotes) {
      expect(event!.text.slice(emote.start, emote.end + 1)).toBe(emote.name);
    }
    expect(event).toMatchObject({ sub: true, mod: true, vip: false });
  });

  it.each(['export.json', 'export.json.gz'])('reads %s, in time order', async (name) => {
    const { root, comments, malformed } = burstExport();
    const text = JSON.stringify(root);
    const path = join(dir, name);
    await writeFile(path, name.endsWith('.gz') ? gzipSync(text) : text);
    const tally = new RejectTally();
    const events = await collect(readTwitchDownloaderFile(path, { tally }));
    expect(events).toHaveLength(comments - malformed);
    expect(tally.count).toBe(malformed);
    const times = events.map((event) => event.ts);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(events.map((event) => event.channel))).toEqual(new Set(['answer']));
    expect(events.some((event) => event.bits === 100 && event.mod)).toBe(true);
  });

  it('counts each malformed comment with the field and index, and keeps reading', async () => {
    const good = (offset: number) => JSON.stringify(exportComment({ offset, user: 'fine' }));
    const noBody = exportComment({ offset: 3, user: 'mute' });
    delete (noBody.message as Record<string, unknown>).body;
    const longName = exportComment({ offset: 4, user: 'x'.repeat(80) });
    const text = JSON.stringify(chatExport([])).replace(
      '"comments":[]',
      `"comments":[${[good(1), '{"_id":"broken","content_offset_seconds":}', JSON.stringify(noBody), JSON.stringify(longName), good(5)].join(',')}]`,
    );
    const tally = new RejectTally();
    const events = await read(text, { tally });
    expect(events.map((event) => event.ts)).toEqual([
      STREAM_START_MS + 1000,
      STREAM_START_MS + 5000,
    ]);
    expect(tally.count).toBe(3);
    expect(tally.samples.map((sample) => sample.line)).toEqual([2, 3, 4]);
    expect(tally.samples[0]!.reason).toMatch(/^comments\[1\]: invalid JSON/);
    expect(tally.samples[1]!.reason).toMatch(/^comments\[2\]\.message\.body: /);
    expect(tally.samples[2]!.reason).toMatch(/^comments\[3\]\.commenter\.name: /);
  });

  it('gives the same events whatever the chunk boundaries', async () => {
    const tricky = ['say "hi" ]}', 'back\\slash \\"', '🎉 {[,]} ', 'ünïcödé, 한국어'];
    const comments = tricky.flatMap((text, i) => [
      exportComment({ offset: i, user: `u${i}`, fragments: [text, { emote: 'Kappa', id: '25' }] }),
      exportComment({
        offset: i + 0.5,
        user: `v${i}`,
        fragments: [{ emote: 'LUL', id: '4' }, text],
      }),
    ]);
    const text = JSON.stringify(chatExport(comments), null, 1);
    const whole = await read(text);
    expect(whole.map((event) => event.text)).toContain('say "hi" ]}Kappa');
    for (const size of [1, 2, 3, 7, 64]) {
      expect(await read(text, {}, size)).toEqual(whole);
    }
  });

  it('sorts comments that are out of order, keeping file order for equal times', async () => {
    const at = (offset: number, id: string) => exportComment({ offset, user: `u${id}`, id });
    const events = await read(
      JSON.stringify(chatExport([at(10, 'a'), at(5, 'b'), at(10, 'c'), at(5, 'd'), at(1, 'e')])),
    );
    expect(events.map((event) => event.id)).toEqual(['e', 'b', 'd', 'a', 'c']);
  });

  it('places a straggler within the reorder window, and rejects one behind what was released', async () => {
    const window = REORDER_WINDOW_MS / 1000;
    const at = (offset: number, id: string) => exportComment({ offset, user: `u${id}`, id });
    const tally = new RejectTally();
    // When `c` arrives, `a` and `b` are more than a window old and go out; 8 s still fits
    // between them and `c`, 5 s no longer can.
    const events = await read(
      JSON.stringify(
        chatExport([at(0, 'a'), at(6, 'b'), at(window + 7, 'c'), at(8, 'd'), at(5, 'late')]),
      ),
      { tally },
    );
    expect(events.map((event) => event.id)).toEqual(['a', 'b', 'd', 'c']);
    expect(tally.samples).toEqual([
      {
        line: 5,
        reason: expect.stringMatching(/^comments\[4\]\.content_offset_seconds: .*not sorted/),
      },
    ]);
  });

  it('takes the stream start from the first comment when video.created_at is missing, and says so', async () => {
    const first = {
      ...exportComment({ offset: 30, user: 'early' }),
      created_at: '2020-02-02T20:00:30.000Z',
    };
    const notes: string[] = [];
    const [event] = await read(JSON.stringify(chatExport([first], { created_at: undefined })), {
      onNote: (note) => notes.push(note),
    });
    expect(event!.ts).toBe(Date.parse('2020-02-02T20:00:30Z'));
    expect(notes).toEqual([expect.stringContaining('no video.created_at before the comments')]);
  });

  it('reads older exports: numeric ids as strings, times without a zone as UTC, legacy members', async () => {
    const comment = exportComment({ offset: 2, user: 'old', id: 'old-1' });
    (comment.commenter as Record<string, unknown>)._id = 1234;
    const text = JSON.stringify({
      streamer: { name: 'OldChannel', id: '99' },
      video: { created_at: '2019-06-01T12:00:00', start: 0, end: 10 },
      comments: [comment],
      emotes: { thirdParty: [{ data: 'QUJD'.repeat(1000) }] },
    });
    const [event] = await read(text);
    expect(event).toMatchObject({
      channel_id: '99',
      channel: 'oldchannel',
      user_id: '1234',
      ts: Date.parse('2019-06-01T12:00:02Z'),
    });
  });

  it('counts a truncated export once and keeps what came before', async () => {
    const text = JSON.stringify(
      chatExport([
        exportComment({ offset: 1, user: 'a' }),
        exportComment({ offset: 2, user: 'b' }),
      ]),
    );
    const tally = new RejectTally();
    const events = await read(text.slice(0, text.indexOf('"name":"b"') + 5), { tally });
    expect(events).toHaveLength(1);
    expect(tally.samples).toEqual([{ line: 2, reason: expect.stringMatching(/truncated/) }]);
  });

  it.each([
    [
      'JSON Lines',
      '{"v":1,"type":"chat","id":"x"}\n{"v":1,"type":"chat","id":"y"}\n',
      /no "comments"/,
    ],
    ['an array', '[{"comments":[]}]', /does not start with a JSON object/],
    ['an empty file', '', /empty/],
    ['a header with no streamer', '{"video":{},"comments":[]}', /no "streamer"/],
    [
      'comments that are not an array',
      '{"streamer":{},"comments":{}}',
      /"comments" is not an array/,
    ],
    ['a member name that never ends', `{"${'x'.repeat(5000)}`, /member name runs past/],
    [
      'a streamer without an id',
      `{"streamer":{"name":"x"},"video":{},"comments":[${JSON.stringify(exportComment({ offset: 1, user: 'a' }))}]}`,
      /streamer\.id/,
    ],
  ])('fails clearly on %s', async (_name, text, message) => {
    await expect(read(text)).rejects.toThrow(NotAnExportError);
    await expect(read(text)).rejects.toThrow(message);
  });

  it('recognises an export by its opening', () => {
    expect(looksLikeTwitchDownloaderExport('{"FileInfo":{"Version":{')).toBe(true);
    expect(looksLikeTwitchDownloaderExport('\uFEFF{\n  "streamer": {"name"')).toBe(true);
    expect(looksLikeTwitchDownloaderExport('{"v":1,"type":"chat"}')).toBe(false);
    expect(looksLikeTwitchDownloaderExport('{"comments":[]}')).toBe(false);
  });
});
