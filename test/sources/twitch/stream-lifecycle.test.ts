// Lifecycle and viewers events from two snapshots, on plain data.
import { describe, expect, it } from 'vitest';
import { EventSchema, type StreamEvent } from '../../../src/events/schema.ts';
import type { LiveStream } from '../../../src/sources/twitch/live-stream.ts';
import { snapshotOf, streamEvents } from '../../../src/sources/twitch/stream-lifecycle.ts';

const TS = 1_700_000_120_000;

function stream(login: string, patch: Partial<LiveStream> = {}): LiveStream {
  return {
    streamId: `s-${login}`,
    channelId: `u-${login}`,
    login,
    displayName: login.toUpperCase(),
    gameId: '509658',
    gameName: 'Just Chatting',
    title: `${login} live`,
    viewers: 100,
    language: 'en',
    startedAt: 1_700_000_000_000,
    ...patch,
  };
}

function kinds(events: StreamEvent[]): string[] {
  return events.map((e) => `${e.type === 'lifecycle' ? e.kind : 'viewers'}:${e.channel_id}`);
}

describe('streamEvents', () => {
  it('announces every stream of the first snapshot online, then samples viewers', () => {
    const events = streamEvents(new Map(), snapshotOf([stream('a'), stream('b')]), TS);
    expect(kinds(events)).toEqual(['online:u-a', 'online:u-b', 'viewers:u-a', 'viewers:u-b']);
    expect(events[0]).toEqual({
      v: 1,
      type: 'lifecycle',
      kind: 'online',
      channel_id: 'u-a',
      channel: 'a',
      display_name: 'A',
      stream_id: 's-a',
      ts: TS,
      title: 'a live',
      game: 'Just Chatting',
      language: 'en',
      started_at: 1_700_000_000_000,
    });
    expect(events[2]).toEqual({
      v: 1,
      type: 'viewers',
      channel_id: 'u-a',
      channel: 'a',
      stream_id: 's-a',
      ts: TS,
      viewers: 100,
    });
    for (const event of events) expect(EventSchema.parse(event)).toEqual(event);
  });

  it('reports title and game changes, and nothing else when only viewers change', () => {
    const before = snapshotOf([stream('a'), stream('b'), stream('c')]);
    const after = snapshotOf([
      stream('a', { title: 'new title', viewers: 5 }),
      stream('b', { gameId: '21779', gameName: 'League of Legends' }),
      stream('c', { viewers: 999, gameName: 'Plaudern' }),
    ]);
    const events = streamEvents(before, after, TS);
    expect(kinds(events)).toEqual([
      'title:u-a',
      'game:u-b',
      'viewers:u-a',
      'viewers:u-b',
      'viewers:u-c',
    ]);
    expect(events[0]).toMatchObject({ kind: 'title', title: 'new title' });
    expect(events[1]).toMatchObject({ kind: 'game', game: 'League of Legends' });
  });

  it('reports a stream missing from the new snapshot offline, before anything else', () => {
    const events = streamEvents(
      snapshotOf([stream('a'), stream('b')]),
      snapshotOf([stream('b')]),
      TS,
    );
    expect(kinds(events)).toEqual(['offline:u-a', 'viewers:u-b']);
    expect(events[0]).toEqual({
      v: 1,
      type: 'lifecycle',
      kind: 'offline',
      channel_id: 'u-a',
      channel: 'a',
      display_name: 'A',
      stream_id: 's-a',
      ts: TS,
    });
  });

  it('ends the old broadcast and starts the new one when the stream id changes', () => {
    const events = streamEvents(
      snapshotOf([stream('a')]),
      snapshotOf([stream('a', { streamId: 's-a-2' })]),
      TS,
    );
    expect(kinds(events)).toEqual(['offline:u-a', 'online:u-a', 'viewers:u-a']);
    expect(events[0]).toMatchObject({ stream_id: 's-a' });
    expect(events[1]).toMatchObject({ stream_id: 's-a-2' });
  });

  it('keeps events within the canonical schema for odd Twitch values', () => {
    const odd = stream('a', {
      streamId: '',
      displayName: '',
      title: 'x'.repeat(600),
      language: '',
      startedAt: undefined,
    });
    for (const event of streamEvents(new Map(), snapshotOf([odd]), TS + 0.7)) {
      expect(() => EventSchema.parse(event)).not.toThrow();
      expect(event.ts).toBe(TS);
    }
  });
});
