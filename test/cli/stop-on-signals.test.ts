// A clean stop ends the process even when something it does not own still holds it open.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const HELD_OPEN = fileURLToPath(new URL('../support/held-open-process.ts', import.meta.url));

describe('stopOnSignals', () => {
  it('exits 0 after a clean stop, though a stray timer would keep the process alive', async () => {
    const child = spawn(process.execPath, [HELD_OPEN], { stdio: ['ignore', 'pipe', 'pipe'] });
    let logs = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    await once(child.stderr.setEncoding('utf8'), 'data');
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(logs).toContain('still running after a clean stop: exiting');
  }, 20_000);
});
