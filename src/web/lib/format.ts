// Display formatting shared by every view. Times are epoch milliseconds, like the API's.
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

export const EMPTY = '—';

/** Viewers and other counts that may be large: 1.2K, 34K, 1.1M. */
export function formatCompact(value: number | null): string {
  return value === null ? EMPTY : compact.format(value);
}

export function formatCount(value: number | null): string {
  return value === null ? EMPTY : whole.format(value);
}

/** Messages per second: one decimal while small, whole numbers once large. */
export function formatRate(value: number | null): string {
  if (value === null) return EMPTY;
  return value >= 100 ? whole.format(value) : value.toFixed(1);
}

/** How many times the baseline a rate is, or null when the baseline was silence. */
export function formatMultiplier(rate: number, baseline: number): string | null {
  if (baseline <= 0) return null;
  const ratio = rate / baseline;
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}

export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / SECOND));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return joinUnits(minutes, 'min', seconds % 60, 's');
  return joinUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'min');
}

/** A position or length in a video, as players show it: 0:18, 1:05, 1:02:03. */
export function formatVideoTime(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const [hours, minutes, rest] = [
    Math.floor(total / 3600),
    Math.floor(total / 60) % 60,
    total % 60,
  ];
  const ss = String(rest).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}

function joinUnits(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

export function formatRelative(ts: number, now: number): string {
  const age = now - ts;
  if (age < 10 * SECOND) return 'just now';
  if (age < MINUTE) return `${Math.floor(age / SECOND)} s ago`;
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min ago`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h ago`;
  const days = Math.floor(age / DAY);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** Time of day for today's events, date and time for older ones. */
export function formatClock(ts: number, now: number): string {
  const sameDay = new Date(ts).toDateString() === new Date(now).toDateString();
  return (sameDay ? clock : dayAndClock).format(ts);
}

export function formatFullDate(ts: number): string {
  return full.format(ts);
}
