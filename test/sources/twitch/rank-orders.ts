// Rank orders for hysteresis tests, as plain data.

/** Logins ch01..chNN in rank order, with each of `moves` placed at its rank. */
export function channelsRanked(size: number, moves: Record<string, number> = {}): string[] {
  const moved = new Set(Object.keys(moves));
  const rest = Array.from({ length: size }, (_, i) => `ch${String(i + 1).padStart(2, '0')}`).filter(
    (login) => !moved.has(login),
  );
  const byRank = new Map(Object.entries(moves).map(([login, rank]) => [rank, login]));
  const order: string[] = [];
  for (let rank = 1; order.length < size; rank += 1) {
    order.push(byRank.get(rank) ?? rest.shift() ?? `filler${rank}`);
  }
  return order;
}
