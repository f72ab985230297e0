import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { runCli } from '../support/cli.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('streamscout migrate', () => {
  it('applies the migrations once, then reports the database up to date', async () => {
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'warn' };
    const first = await runCli(['migrate'], { env });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied: 0001-/);
    const second = await runCli(['migrate'], { env });
    expect(second.stdout).toBe('database is up to date\n');
  });

  it('fails with one line when the database cannot be reached', async () => {
    const result = await runCli(['migrate'], {
      env: { DATABASE_URL: 'postgresql://nobody:x@127.0.0.1:1/none', LOG_LEVEL: 'silent' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^streamscout: .*(ECONNREFUSED|connect)/);
  });
});
