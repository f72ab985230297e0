// Waiting on a process under test from outside (over HTTP): ask every 250 ms until it answers.
import { setTimeout as sleep } from 'node:timers/promises';

/** Calls `read` until it returns a value (a throw counts as not yet); fails after `timeoutMs`. */
export async function poll<T>(read: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(250);
  }
}
