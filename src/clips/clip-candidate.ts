// Which moments get a clip, and what the clip asks Twitch for. Pure: the processor records the
// candidates in the clip outbox with the batch that found them, before its log positions are
// committed, so a crash can neither lose nor duplicate one.
import type { Moment } from '../processing/moment.ts';
import { clipDeadline } from './clip-window.ts';

/**
 * Default least score for a clip. A moment opens at 4 (one window in 10,000 by chance); on the
 * simulator's ground truth (`npm run eval` prints the table, 5 seeds) moments of 6 or more are
 * 97.7 % real highlights against 94.9 % for all moments, at recall 0.843 against 0.946: they keep
 * 89 % of the highlights found. A clip is public,
 * made under the user's account and costs a rate-limited call, so it asks for more certainty than
 * a row in the moments feed.
 */
export const DEFAULT_CLIP_MIN_SCORE = 6;

/** Twitch's limit on a clip's title. */
const MAX_TITLE_LENGTH = 100;

export interface ClipCandidate {
  moment_id: string;
  channel_id: string;
  channel: string;
  start_ts: number;
  peak_ts: number;
  score: number;
  title: string;
  /** Epoch ms after which a call can no longer make a clip that holds the peak (clip-window.ts). */
  clip_by: number;
}

/**
 * Candidates from a batch's moments: those whose peak just passed (`peaks`, the prompt path) and
 * those that ended (a moment that closed before its peak was held, or whose score only reached
 * the threshold later). The outbox keeps one per moment id, the first to arrive.
 */
export function clipCandidates(moments: readonly Moment[], minScore: number): ClipCandidate[] {
  return moments
    .filter((moment) => moment.score >= minScore)
    .map((moment) => ({
      moment_id: moment.id,
      channel_id: moment.channel_id,
      channel: moment.channel,
      start_ts: moment.start_ts,
      peak_ts: moment.peak_ts,
      score: moment.score,
      title: clipTitle(moment),
      clip_by: clipDeadline(moment.peak_ts),
    }));
}

/** What chat said, in its own words: the top phrase, else the top emote, and how many reacted. */
export function clipTitle(moment: Moment): string {
  const { top_phrases, top_emotes, unique_chatters } = moment.explanation;
  const said = top_phrases[0]?.name ?? top_emotes[0]?.name;
  const crowd = `${unique_chatters} chatters reacted`;
  const title = said === undefined ? `${moment.channel}: ${crowd}` : `"${said}" (${crowd})`;
  return title.length <= MAX_TITLE_LENGTH ? title : `${title.slice(0, MAX_TITLE_LENGTH - 1)}…`;
}
