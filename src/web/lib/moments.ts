// The moment lists are merged from REST pages and live pushes: one entry per id, newest first.
import type { Moment } from '../backend/types.ts';

export interface MomentFilter {
  channel?: string;
  minScore?: number;
}

export function matchesFilter(moment: Moment, filter: MomentFilter): boolean {
  if (filter.minScore !== undefined && moment.score < filter.minScore) return false;
  if (filter.channel === undefined) return true;
  const channel = filter.channel.toLowerCase();
  return moment.channel.toLowerCase() === channel || moment.channel_id === filter.channel;
}

function newestFirst(a: Moment, b: Moment): number {
  return b.start_ts - a.start_ts || a.id.localeCompare(b.id);
}

/**
 * A moment is re-sent while it grows: the incoming copy replaces the one we have, except that a
 * moment that ended never goes back to live (a page read before it ended, answered after).
 */
export function mergeMoments(current: readonly Moment[], incoming: readonly Moment[]): Moment[] {
  const byId = new Map(current.map((moment) => [moment.id, moment]));
  for (const moment of incoming) {
    const known = byId.get(moment.id);
    if (moment.live && known !== undefined && !known.live) continue;
    byId.set(moment.id, moment);
  }
  return [...byId.values()].sort(newestFirst);
}
