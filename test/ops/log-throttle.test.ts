import { describe, expect, it } from 'vitest';
import { LogThrottle } from '../../src/ops/log-throttle.ts';

describe('LogThrottle', () => {
  it('admits one line per key per interval and says how many it held back', () => {
    let now = 0;
    const throttle = new LogThrottle(10_000, () => now);
    expect(throttle.admit('bad-field')).toEqual({ log: true, suppressed: 0 });
    for (let i = 0; i < 41; i++) expect(throttle.admit('bad-field')).toEqual({ log: false });
    // Another reason has its own allowance.
    expect(throttle.admit('unparseable')).toEqual({ log: true, suppressed: 0 });
    now = 9_999;
    expect(throttle.admit('bad-field')).toEqual({ log: false });
    now = 10_000;
    expect(throttle.admit('bad-field')).toEqual({ log: true, suppressed: 42 });
    now = 30_000;
    expect(throttle.admit('bad-field')).toEqual({ log: true, suppressed: 0 });
  });
});
