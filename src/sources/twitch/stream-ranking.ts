// Which chats to read, from a fresh ranking of live streams, with hysteresis: a channel is
// joined when it climbs to JOIN_RANK and left only when it falls below LEAVE_RANK or goes
// offline. Ranks jitter from poll to poll; without the gap between the two thresholds a channel
// near the edge would be joined and left over and over, and its chat baseline (minutes of
// history the detector needs) would be thrown away each time. Pure and deterministic.

export const DEFAULT_JOIN_RANK = 15;
export const DEFAULT_LEAVE_RANK = 30;

export interface RankingPolicy {
  /** Join a channel when its rank is at most this (JOIN_RANK). */
  joinRank: number;
  /** Leave a watched channel only when its rank is above this (LEAVE_RANK), or it is offline. */
  leaveRank: number;
  /** Logins always watched while live, whatever their rank (lower case). */
  allow: ReadonlySet<string>;
  /** Logins never watched; they take no rank, so they do not push others out (lower case). */
  deny: ReadonlySet<string>;
}

export interface RankingPolicyOptions {
  /** Default 15. */
  joinRank?: number;
  /** Default 30; must be >= joinRank. */
  leaveRank?: number;
  allow?: Iterable<string>;
  deny?: Iterable<string>;
}

/** Fills in defaults, lower-cases logins, and refuses thresholds that cannot work. */
export function rankingPolicy(options: RankingPolicyOptions = {}): RankingPolicy {
  const joinRank = options.joinRank ?? DEFAULT_JOIN_RANK;
  const leaveRank = options.leaveRank ?? DEFAULT_LEAVE_RANK;
  if (!Number.isInteger(joinRank) || joinRank < 1) {
    throw new RangeError(`join rank must be a whole number >= 1, got ${joinRank}`);
  }
  if (!Number.isInteger(leaveRank) || leaveRank < joinRank) {
    throw new RangeError(
      `leave rank must be a whole number >= the join rank (${joinRank}), got ${leaveRank}`,
    );
  }
  return { joinRank, leaveRank, allow: logins(options.allow), deny: logins(options.deny) };
}

export interface RankingInput {
  /** Channels watched after the previous poll (logins). */
  watched: Iterable<string>;
  /** Logins of a fresh, successful poll's ranked streams, best first: rank 1 is first. */
  ranked: readonly string[];
  /**
   * Every login that poll found live, ranked or not: allow-listed streams outside the ranking,
   * streams that fell out of the top N. Default: `ranked`. A watched login missing here is
   * offline, so never pass the result of a failed poll.
   */
  live?: Iterable<string>;
}

export interface RankingResult {
  /** Channels to watch now: ranked ones best rank first, then unranked ones by login. */
  watched: string[];
  /** Newly watched channels, in the same order as `watched`. */
  joins: string[];
  /** Channels no longer watched, by login. */
  leaves: string[];
  /** Rank of each ranked login that is not denied (1 = most viewers). */
  ranks: ReadonlyMap<string, number>;
}

export function rankStreams(input: RankingInput, policy: RankingPolicy): RankingResult {
  const ranks = new Map<string, number>();
  for (const login of input.ranked) {
    if (!policy.deny.has(login) && !ranks.has(login)) ranks.set(login, ranks.size + 1);
  }
  const live = new Set(input.live ?? input.ranked);
  const before = new Set(input.watched);
  const watched: string[] = [];
  for (const login of new Set([...before, ...live])) {
    if (shouldWatch(login, before.has(login), live.has(login), ranks.get(login), policy)) {
      watched.push(login);
    }
  }
  watched.sort(byRankThenLogin(ranks));
  const now = new Set(watched);
  return {
    watched,
    joins: watched.filter((login) => !before.has(login)),
    leaves: [...before].filter((login) => !now.has(login)).sort(),
    ranks,
  };
}

function shouldWatch(
  login: string,
  wasWatched: boolean,
  isLive: boolean,
  rank: number | undefined,
  policy: RankingPolicy,
): boolean {
  if (policy.deny.has(login) || !isLive) return false;
  if (policy.allow.has(login)) return true;
  if (rank === undefined) return false;
  return rank <= (wasWatched ? policy.leaveRank : policy.joinRank);
}

function byRankThenLogin(ranks: ReadonlyMap<string, number>): (a: string, b: string) => number {
  return (a, b) => {
    const difference = (ranks.get(a) ?? Infinity) - (ranks.get(b) ?? Infinity);
    if (difference !== 0 && !Number.isNaN(difference)) return difference;
    return a < b ? -1 : a > b ? 1 : 0;
  };
}

function logins(values: Iterable<string> | undefined): Set<string> {
  const set = new Set<string>();
  for (const value of values ?? []) {
    const login = value.trim().toLowerCase();
    if (login !== '') set.add(login);
  }
  return set;
}
