// Events decided now but due later: a bot's answer, the rest of a raid, a gift bomb's gifts.
// Each is created only when it is delivered, so who-chatted-before flags and reply targets
// follow time order; ties are delivered in the order they were planned.
import type { StreamEvent } from '../../events/schema.ts';

interface Planned {
  ts: number;
  create: () => StreamEvent;
}

export class EventQueue {
  private readonly planned: Planned[] = [];

  /** Plans an event at `ts`; `create` runs when it is delivered and must stamp it with `ts`. */
  schedule(ts: number, create: () => StreamEvent): void {
    // Plans mostly arrive in time order, so search from the back.
    let at = this.planned.length;
    while (at > 0 && (this.planned[at - 1] as Planned).ts > ts) at -= 1;
    this.planned.splice(at, 0, { ts, create });
  }

  /** Creates and hands to `deliver`, in time order, every event due before `ts`. */
  deliverBefore(ts: number, deliver: (event: StreamEvent) => void): void {
    let due = 0;
    while (due < this.planned.length && (this.planned[due] as Planned).ts < ts) {
      deliver((this.planned[due] as Planned).create());
      due += 1;
    }
    if (due > 0) this.planned.splice(0, due);
  }
}
