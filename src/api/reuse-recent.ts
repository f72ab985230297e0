// Every open dashboard polls the stream list, and computing it touches each channel's newest
// metrics window. Metrics advance every 10 s, so a result up to a second old is as good as a
// fresh one: callers within that second share one query, and callers arriving while it runs
// wait for it instead of starting another.

export function reuseRecent<T>(
  load: () => Promise<T>,
  maxAgeMs: number,
  now: () => number = Date.now,
): () => Promise<T> {
  let latest: { value: Promise<T>; startedAt: number } | undefined;
  return () => {
    if (latest === undefined || now() - latest.startedAt > maxAgeMs) {
      const value = load();
      const entry = { value, startedAt: now() };
      latest = entry;
      // A failure is not worth keeping: the next caller tries again.
      value.catch(() => {
        if (latest === entry) latest = undefined;
      });
    }
    return latest.value;
  };
}
