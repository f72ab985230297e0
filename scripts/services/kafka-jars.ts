// Apache Kafka's own jars from Maven Central, resolved by Maven from scripts/kafka/pom.xml and
// cached outside the repository (they are ~45 MB and the same for every checkout).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const POM = fileURLToPath(new URL('../kafka/pom.xml', import.meta.url));

export class MissingToolError extends Error {
  override name = 'MissingToolError';
}

/** The broker version as pinned in the pom, and a name for the pom's exact set of jars. */
async function pinned(): Promise<{ version: string; cacheName: string }> {
  const pom = await readFile(POM, 'utf8');
  const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)?.[1];
  if (version === undefined) throw new Error(`${POM}: no <kafka.version>`);
  // Any change to the pom is a new cache entry: a stale classpath is never reused.
  const digest = createHash('sha256').update(pom).digest('hex').slice(0, 8);
  return { version, cacheName: `kafka-${version}-${digest}` };
}

function cacheRoot(): string {
  return (
    process.env.STREAMSCOUT_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'streamscout')
  );
}

/** True when `java` and `mvn` (needed only for the first download) can run. */
export async function javaAvailable(): Promise<boolean> {
  return run('java', ['-version']).then(
    () => true,
    () => false,
  );
}

/** The folder of jars for a broker classpath (`<dir>/*`); downloads them the first time. */
export async function kafkaJars(): Promise<string> {
  const { version, cacheName } = await pinned();
  const lib = join(cacheRoot(), cacheName, 'lib');
  if (await exists(lib)) return lib;
  // Into a scratch folder first: an interrupted download must not pass for a complete one.
  const partial = `${lib}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  try {
    await run(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        POM,
        'dependency:copy-dependencies',
        `-DoutputDirectory=${partial}`,
        '-DincludeScope=runtime',
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    await rm(partial, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new MissingToolError(
        'mvn not found: install Maven (apt-get install maven) to fetch Kafka',
      );
    }
    const output = (error as { stdout?: string; stderr?: string }).stdout ?? '';
    throw new Error(`mvn could not fetch Kafka ${version}:\n${output.slice(-4000)}`);
  }
  await rename(partial, lib).catch(async (error: unknown) => {
    // Another process finished the same download first: theirs is as good as ours.
    await rm(partial, { recursive: true, force: true });
    if (!(await exists(lib))) throw error;
  });
  return lib;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
