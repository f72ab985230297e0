// `streamscout start` in distributed mode: with KAFKA_BROKERS the simulator's chat goes through
// the real Kafka broker (the topics are created with their defaults) and comes out as moments
// in PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/storage/free-port.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { testKafka } from '../support/kafka.ts';
import { poll } from '../support/poll.ts';

const BIN = fileURLToPath(new URL('../../bin/streamscout.js', import.meta.url));
const { brokers } = testKafka();
const children: ChildProcess[] = [];
const dirs: string[] = [];
const databases: TestDatabase[] = [];

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  for (const database of databases) await database.drop();
});

describe.skipIf(brokers === undefined)('streamscout start with KAFKA_BROKERS', () => {
  it('carries the simulated chat through Kafka into moments in PostgreSQL', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streamscout-start-kafka-'));
    dirs.push(dataDir);
    const database = await createTestDatabase();
    databases.push(database);
    const port = await findFreePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(
      process.execPath,
      [BIN, 'start', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
      {
        env: {
          ...process.env,
          LOG_LEVEL: 'warn',
          SIMULATOR_CHANNELS: '12',
          DATABASE_URL: database.url,
          KAFKA_BROKERS: brokers!.join(','),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    await poll(async () => ((await fetch(`${base}/ready`)).ok ? true : undefined), 90_000).catch(
      (error: unknown) => {
        throw new Error(`not ready: ${stderr}`, { cause: error });
      },
    );
    const moments = await poll(async () => {
      const body = (await (await fetch(`${base}/api/v1/moments?limit=50`)).json()) as {
        moments: unknown[];
      };
      return body.moments.length > 0 ? body.moments : undefined;
    }, 120_000);
    expect(moments.length).toBeGreaterThan(0);

    // The chat really went through the broker, into the topic created with its defaults.
    const admin = new Admin({ clientId: 'streamscout-test', bootstrapBrokers: brokers! });
    try {
      const metadata = await admin.metadata({ topics: ['chat-messages', 'stream-lifecycle'] });
      expect(metadata.topics.get('chat-messages')?.partitionsCount).toBe(20);
      expect(metadata.topics.get('stream-lifecycle')?.partitionsCount).toBe(5);
      const groups = await admin.listGroups();
      expect([...groups.keys()]).toContain('streamscout-processors');
    } finally {
      await admin.close();
    }

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 300_000);
});
