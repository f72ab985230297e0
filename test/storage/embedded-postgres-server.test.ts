import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/logger.ts';
import { startEmbeddedPostgres } from '../../src/storage/embedded-postgres-server.ts';
import { findFreePort } from '../../src/storage/free-port.ts';

async function query(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** A PID no process has: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  if (child.pid === undefined) throw new Error('could not spawn a process');
  return child.pid;
}

describe('embedded PostgreSQL server', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'streamscout-embedded-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps its data, credentials and port across a stop and a start', async () => {
    const port = await findFreePort();
    const first = await startEmbeddedPostgres({ dataDir, logger: silentLogger, port });
    await query(first.url, "create table kept (note text); insert into kept values ('still here')");
    // A second server on the same data while the first runs would corrupt it.
    await expect(startEmbeddedPostgres({ dataDir, logger: silentLogger })).rejects.toThrow(
      /stop that process first/,
    );
    await first.stop();
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, logger: silentLogger });
    try {
      expect(second.url).toBe(first.url);
      expect(await query(second.url, 'select note from kept')).toEqual([{ note: 'still here' }]);
    } finally {
      await second.stop();
    }
    const state = await stat(join(dataDir, 'embedded-postgres.json'));
    expect(state.mode & 0o777).toBe(0o600);
  });

  it('moves to a free port when the remembered one is taken, and remembers the new one', async () => {
    const port = await findFreePort();
    const first = await startEmbeddedPostgres({ dataDir, logger: silentLogger, port });
    await first.stop();
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      const second = await startEmbeddedPostgres({ dataDir, logger: silentLogger });
      const movedTo = new URL(second.url).port;
      expect(movedTo).not.toBe(String(port));
      expect(await query(second.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      await second.stop();
      const state = JSON.parse(await readFile(join(dataDir, 'embedded-postgres.json'), 'utf8')) as {
        port: number;
      };
      expect(String(state.port)).toBe(movedTo);
    } finally {
      squatter.close();
    }
  });

  it('starts over a postmaster.pid left by a PostgreSQL that died', async () => {
    const first = await startEmbeddedPostgres({
      dataDir,
      logger: silentLogger,
      port: await findFreePort(),
    });
    await first.stop();
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const stalePid = await deadPid();
    await writeFile(pidFile, `${stalePid}\n${join(dataDir, 'postgres')}\n`);

    const second = await startEmbeddedPostgres({ dataDir, logger: silentLogger });
    try {
      expect(await query(second.url, 'select 1 as one')).toEqual([{ one: 1 }]);
      expect((await readFile(pidFile, 'utf8')).split('\n')[0]).not.toBe(String(stalePid));
    } finally {
      await second.stop();
    }
  });

  it('takes over from a Stream Scout process that was killed, keeping its data', async () => {
    const module = pathToFileURL(
      join(import.meta.dirname, '../../src/storage/embedded-postgres-server.ts'),
    ).href;
    const logger = pathToFileURL(join(import.meta.dirname, '../../src/ops/logger.ts')).href;
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(module)};
      import { silentLogger } from ${JSON.stringify(logger)};
      const server = await startEmbeddedPostgres({ dataDir: process.argv[1], logger: silentLogger, port: Number(process.argv[2]) });
      process.stdout.write(server.url + '\\n');
      setInterval(() => {}, 1000);
    `;
    const owner = spawn(
      process.execPath,
      ['--input-type=module', '-e', script, dataDir, String(await findFreePort())],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const [chunk] = (await once(owner.stdout, 'data')) as [Buffer];
      const ownerUrl = chunk.toString().trim();
      await query(
        ownerUrl,
        "create table kept (note text); insert into kept values ('written before the kill')",
      );
    } finally {
      owner.kill('SIGKILL');
      await once(owner, 'exit');
    }

    const server = await startEmbeddedPostgres({ dataDir, logger: silentLogger });
    try {
      expect(await query(server.url, 'select note from kept')).toEqual([
        { note: 'written before the kill' },
      ]);
    } finally {
      await server.stop();
    }
  });
});
