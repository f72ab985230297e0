import { describe, expect, it } from 'vitest';
import { reuseRecent } from '../../src/api/reuse-recent.ts';

describe('reuseRecent', () => {
  it('shares one load between callers within the max age, then loads again', async () => {
    let clock = 0;
    let loads = 0;
    const get = reuseRecent(
      async () => ++loads,
      1_000,
      () => clock,
    );

    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    clock = 1_000;
    expect(await get()).toBe(1);
    clock = 1_001;
    expect(await get()).toBe(2);
  });

  it('does not keep a failure', async () => {
    let fail = true;
    const get = reuseRecent(async () => {
      if (fail) throw new Error('database unavailable');
      return 'streams';
    }, 60_000);

    await expect(get()).rejects.toThrow('database unavailable');
    fail = false;
    expect(await get()).toBe('streams');
  });
});
