// Shaping a batch for one INSERT ... ON CONFLICT DO UPDATE statement.

/**
 * Keeps the last row for each key (PostgreSQL refuses to update the same row twice in one
 * statement) and sorts by key, so concurrent batches lock rows in the same order and cannot
 * deadlock each other.
 */
export function lastPerKeySorted<T>(rows: Iterable<T>, keyOf: (row: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}
