// Where a clip falls in the stream. Twitch's Create Clip captures about 85 s of the stream before
// the call and 5 s after it, and publishes the last `duration` seconds of that (5 to 60 s,
// default 30). So the later the call, the further back the peak sits in the clip; a call more
// than ~55 s after the peak cannot hold it at all. Times are epoch ms; chat's event time stands
// for the stream's time (chat reacts a few seconds after what it saw: hence the lead).

/** Seconds Twitch keeps after the call. */
export const AFTER_CALL_S = 5;
/** Seconds of stream before the moment's first reaction that the clip should show: the cause. */
export const LEAD_S = 10;
export const MIN_DURATION_S = 30;
export const MAX_DURATION_S = 60;

export interface ClipWindow {
  startTs: number;
  endTs: number;
}

/**
 * The clip length to ask for when calling at `callTs`: from `LEAD_S` before the moment's start to
 * the end of what Twitch keeps, at least Twitch's default 30 s, at most its 60 s, to 0.1 s.
 */
export function clipDurationS(momentStartTs: number, callTs: number): number {
  const wanted = (callTs - (momentStartTs - LEAD_S * 1000)) / 1000 + AFTER_CALL_S;
  return Math.round(Math.min(MAX_DURATION_S, Math.max(MIN_DURATION_S, wanted)) * 10) / 10;
}

/** The stretch of the stream a clip of `durationS` asked for at `callTs` covers. */
export function clipWindow(callTs: number, durationS: number): ClipWindow {
  const endTs = callTs + AFTER_CALL_S * 1000;
  return { startTs: endTs - durationS * 1000, endTs };
}

/**
 * The last moment a call can still make a clip that shows the peak with its lead: the longest
 * clip, ending `AFTER_CALL_S` after the call, starts `LEAD_S` before the peak.
 */
export function clipDeadline(peakTs: number): number {
  return peakTs - LEAD_S * 1000 + (MAX_DURATION_S - AFTER_CALL_S) * 1000;
}

/** Seconds from the clip's start to the peak: within [0, duration] the clip shows the peak. */
export function peakOffsetS(peakTs: number, window: ClipWindow): number {
  return Math.round((peakTs - window.startTs) / 100) / 10;
}
