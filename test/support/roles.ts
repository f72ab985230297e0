// `streamscout monitor | process | serve` as real child processes, for the distributed tests:
// their JSON log lines, the address they print, /metrics read over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/streamscout.js', import.meta.url));

export interface RoleChild {
  child: ChildProcess;
  /** The address it printed once running: the API (serve) or METRICS_PORT (monitor, process). */
  url: Promise<string>;
  /** Its JSON log lines so far. */
  logs: Record<string, unknown>[];
  stderr(): string;
  /** SIGTERM and the exit code. */
  stop(): Promise<number | null>;
}

export function spawnRole(role: string, args: string[], env: NodeJS.ProcessEnv): RoleChild {
  const child = spawn(process.execPath, [BIN, role, ...args], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let stdoutRest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (stdoutRest + chunk).split('\n');
    stdoutRest = lines.pop() ?? '';
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not a log line
      }
    }
  });
  let stderr = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const found = /is running at (http:\/\/\S+)/.exec(stderr);
      if (found) resolve(found[1]!);
    });
    child.on('exit', (code) =>
      reject(new Error(`streamscout ${role} exited (${code}) before running: ${stderr}`)),
    );
  });
  url.catch(() => {});
  return {
    child,
    url,
    logs,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** The processor's consumer lag from its /metrics, undefined before the first batch. */
export async function consumerLag(metricsUrl: string): Promise<number | undefined> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const found = /^streamscout_consumer_lag_records\{topic="all"\} (\d+)/m.exec(text);
  return found ? Number(found[1]) : undefined;
}
