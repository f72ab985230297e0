// Twitch's `emotes` tag (`25:0-4,12-16/1902:6-10`) read into canonical emotes. Twitch counts
// positions in Unicode code points; our schema counts UTF-16 code units (JavaScript string
// indices), so every emoji or other astral character before an emote shifts it by one.
import type { Emote } from '../../events/schema.ts';

/** The emotes of `text`, ordered by position, or the reason the tag cannot be read. */
export function emotesFromTag(tag: string, text: string): Emote[] | { error: string } {
  if (tag === '') return [];
  const utf16Start = codePointStarts(text);
  const emotes: Emote[] = [];
  for (const group of tag.split('/')) {
    const colon = group.indexOf(':');
    const id = group.slice(0, colon);
    if (colon < 1) return { error: `emote group without an id: ${group}` };
    for (const range of group.slice(colon + 1).split(',')) {
      const match = /^(\d+)-(\d+)$/.exec(range);
      if (match === null) return { error: `emote range is not start-end: ${range}` };
      const first = Number(match[1]);
      const last = Number(match[2]);
      // utf16Start has one extra entry: the end of the text, so `last + 1` is always defined.
      if (first > last || last + 1 >= utf16Start.length) {
        return { error: `emote range ${range} is outside the text` };
      }
      const start = utf16Start[first] ?? 0;
      const end = (utf16Start[last + 1] ?? 0) - 1;
      emotes.push({ id, name: text.slice(start, end + 1), start, end });
    }
  }
  return emotes.sort((a, b) => a.start - b.start);
}

/** UTF-16 index of each code point of `text`, plus the text's length at the end. */
function codePointStarts(text: string): number[] {
  const starts: number[] = [];
  let index = 0;
  for (const point of text) {
    starts.push(index);
    index += point.length;
  }
  starts.push(index);
  return starts;
}
