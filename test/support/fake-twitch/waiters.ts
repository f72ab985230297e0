// Promises that settle when something observed becomes true, re-checked on every event the
// owner reports (`notify`) instead of polling on a timer: tests wait exactly as long as needed.

export class Waiters {
  private readonly owner: string;
  private readonly pending = new Set<() => void>();

  /** `owner` names who waits, in timeout messages ("fake IRC server"). */
  constructor(owner: string) {
    this.owner = owner;
  }

  /** Something changed: re-check every waiting probe. */
  notify(): void {
    for (const check of [...this.pending]) check();
  }

  /**
   * Resolves with the first defined result of `probe`; rejects after `timeoutMs`, or as soon
   * as `failure()` returns a reason (a closed connection, say).
   */
  until<T>(
    probe: () => T | undefined,
    what: string,
    timeoutMs: number,
    failure: () => string | undefined = () => undefined,
  ): Promise<T> {
    const found = probe();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const result = probe();
        if (result !== undefined) {
          cleanup();
          resolve(result);
          return;
        }
        const reason = failure();
        if (reason === undefined) return;
        cleanup();
        reject(new Error(`${this.owner}: ${reason} while waiting for ${what}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.owner}: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.pending.delete(check);
      };
      this.pending.add(check);
    });
  }
}
