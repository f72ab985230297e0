// The people who chat in one channel: user indices into the world's UserDirectory, plus what
// each of them is in that channel (moderator, VIP, subscriber months, chatted there before).
import type { UserDirectory } from './users.ts';

/** Bit flags per pool member. */
export const ROLE_MODERATOR = 1;
export const ROLE_VIP = 2;
/** Has chatted in this channel before, so Twitch will not flag their next message `first-msg`. */
export const ROLE_CHATTED_BEFORE = 4;

/** Months are stored above the role bits of a member's traits. */
const MONTHS_SHIFT = 8;
const ROLE_MASK = (1 << MONTHS_SHIFT) - 1;

export class ChatterPool {
  readonly directory: UserDirectory;
  /**
   * Two numbers per member, side by side: user index, then traits (role bits and months).
   * One memory line per message instead of one per array matters with thousands of channels.
   */
  private readonly records: Int32Array;

  constructor(
    directory: UserDirectory,
    members: Int32Array,
    roles: Uint8Array,
    months: Uint8Array,
  ) {
    this.directory = directory;
    this.records = new Int32Array(members.length * 2);
    for (let slot = 0; slot < members.length; slot++) {
      this.records[2 * slot] = members[slot] as number;
      this.records[2 * slot + 1] =
        (roles[slot] as number) | ((months[slot] as number) << MONTHS_SHIFT);
    }
  }

  get size(): number {
    return this.records.length >>> 1;
  }

  /** The member's index in the world's UserDirectory. */
  userIndex(slot: number): number {
    return this.records[2 * slot] as number;
  }

  id(slot: number): string {
    return this.directory.id(this.userIndex(slot));
  }

  login(slot: number): string {
    return this.directory.login(this.userIndex(slot));
  }

  displayName(slot: number): string {
    return this.directory.displayName(this.userIndex(slot));
  }

  hasRole(slot: number, role: number): boolean {
    return ((this.records[2 * slot + 1] as number) & ROLE_MASK & role) !== 0;
  }

  /** Months subscribed to this channel; 0 when not a subscriber. */
  subMonths(slot: number): number {
    return (this.records[2 * slot + 1] as number) >>> MONTHS_SHIFT;
  }
}

/** A contiguous block of users: a channel outside the simulated set and its followers. */
export interface UserBlock {
  first: number;
  size: number;
}
