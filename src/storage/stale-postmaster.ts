// A PostgreSQL data directory is locked by its `postmaster.pid`. When the process that started
// the embedded server is killed, that file stays behind, pointing either at nothing, at an
// unrelated process that reused the PID (PostgreSQL then refuses to start), or at a postmaster
// still running as an orphan. This module turns each case into a startable directory.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../ops/logger.ts';

const SHUTDOWN_TIMEOUT_MS = 15_000;
const POLL_MS = 100;

interface ProcessInfo {
  /** argv joined by spaces. */
  command: string;
  parentPid: number;
}

export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError';
}

/**
 * Leaves `pgDir` without a live or stale lock, or throws when another live process owns it.
 * `ownerPid` is the process that last started the server in this directory (remembered in the
 * embedded state file): while it lives it stays the postmaster's parent; once it dies the
 * postmaster is re-parented to init or a subreaper, and nobody will ever stop it but us.
 */
export async function releaseStalePostmaster(
  pgDir: string,
  ownerPid: number | undefined,
  logger: Logger,
): Promise<void> {
  const pidFile = join(pgDir, 'postmaster.pid');
  const pid = await readPostmasterPid(pidFile);
  if (pid === null) return;

  if (!isAlive(pid)) {
    logger.info({ pid }, 'removing postmaster.pid left by a PostgreSQL that is no longer running');
    await rm(pidFile, { force: true });
    return;
  }
  const info = await readProcessInfo(pid);
  if (info === null) {
    throw new DataDirectoryInUseError(
      `${pgDir} is locked by running process ${pid}; stop it, or remove ${pidFile} if it is not PostgreSQL`,
    );
  }
  if (!isPostmasterOf(info, pgDir)) {
    logger.info({ pid }, 'removing postmaster.pid whose PID now belongs to another program');
    await rm(pidFile, { force: true });
    return;
  }
  if (ownerPid === undefined || info.parentPid === ownerPid) {
    throw new DataDirectoryInUseError(
      `the PostgreSQL in ${pgDir} (pid ${pid}) is run by process ${info.parentPid}; ` +
        'stop that process first or use another data directory',
    );
  }
  logger.warn(
    { pid },
    'stopping an orphaned embedded PostgreSQL left by a killed Stream Scout process',
  );
  await stopPostmaster(pid, pidFile);
}

async function readPostmasterPid(pidFile: string): Promise<number | null> {
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const pid = Number.parseInt(text.split('\n', 1)[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux /proc; null where it is not available. */
async function readProcessInfo(pid: number): Promise<ProcessInfo | null> {
  try {
    const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: state, ppid, ...
    const parentPid = Number.parseInt(
      stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? '',
      10,
    );
    return { command, parentPid };
  } catch {
    return null;
  }
}

function isPostmasterOf(info: ProcessInfo, pgDir: string): boolean {
  return info.command.includes('postgres') && info.command.includes(pgDir);
}

/** SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, checkpoint, exit. */
async function stopPostmaster(pid: number, pidFile: string): Promise<void> {
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + SHUTDOWN_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // PostgreSQL removes its pid file as the very last step of a clean shutdown.
    if ((await readPostmasterPid(pidFile)) === null || !isAlive(pid)) return;
    await sleep(POLL_MS);
  }
  throw new DataDirectoryInUseError(
    `orphaned PostgreSQL ${pid} did not stop within ${SHUTDOWN_TIMEOUT_MS} ms`,
  );
}
