// What an embedded PostgreSQL must remember between runs: the superuser's credentials
// (generated once), the port it last listened on and who started it. Kept next to the data,
// readable by its owner only.
import { randomBytes } from 'node:crypto';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const STATE_FILE = 'embedded-postgres.json';
const OWNER_ONLY = 0o600;

const EmbeddedPostgresStateSchema = z.object({
  user: z.string().min(1),
  password: z.string().min(16),
  port: z.number().int().min(1).max(65_535).optional(),
  /** The process that last started the server: tells a live owner from an orphaned server. */
  owner_pid: z.number().int().positive().optional(),
});

export type EmbeddedPostgresState = z.infer<typeof EmbeddedPostgresStateSchema>;

function stateFilePath(dataDir: string): string {
  return join(dataDir, STATE_FILE);
}

/** Reads the state, creating it with fresh credentials on first use. */
export async function loadOrCreateState(dataDir: string): Promise<EmbeddedPostgresState> {
  const path = stateFilePath(dataDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const state = { user: 'streamscout', password: randomBytes(24).toString('base64url') };
    await saveState(dataDir, state);
    return state;
  }
  // Tighten rights a user may have loosened: the file holds the database superuser's password.
  await chmod(path, OWNER_ONLY);
  const parsed = EmbeddedPostgresStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(
      `${path} is not a valid embedded PostgreSQL state file: ${parsed.error.message}`,
    );
  }
  return parsed.data;
}

/** Atomic replace, so a crash mid-write never leaves a half file (and lost credentials). */
export async function saveState(dataDir: string, state: EmbeddedPostgresState): Promise<void> {
  const path = stateFilePath(dataDir);
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(state, null, 2)}\n`, { mode: OWNER_ONLY });
  await rename(partial, path);
}
