// CPU time of other processes, from Linux's /proc: where a benchmark's CPU went, process by
// process (the processors, the Kafka broker, PostgreSQL), not only how long it took. Elsewhere
// (no /proc) every reading is undefined and the bench prints no breakdown.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times: 100 on every Linux this runs on (USER_HZ). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  comm: string;
  /** This process's user + system time, in seconds. */
  own: number;
  /** Its children's that it has waited for (PostgreSQL's exited backends), in seconds. */
  children: number;
}

function stat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // gone meanwhile, or no /proc
  }
  // The command name is in parentheses and may itself hold spaces or parentheses.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  // Fields from the 3rd on; utime, stime, cutime, cstime are the 14th to 17th.
  const fields = text.slice(close + 2).split(' ');
  const ticks = (field: number): number => Number(fields[field - 3]);
  return {
    pid,
    comm,
    own: (ticks(14) + ticks(15)) / TICKS_PER_SECOND,
    children: (ticks(16) + ticks(17)) / TICKS_PER_SECOND,
  };
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

export interface CpuReading {
  processors: number | undefined;
  broker: number | undefined;
  postgres: number | undefined;
}

/** Seconds of CPU used so far by the given processes, every Kafka broker, and PostgreSQL. */
export function readCpu(processorPids: number[]): CpuReading {
  const sum = (stats: (ProcStat | undefined)[], withChildren: boolean): number | undefined => {
    const found = stats.filter((s): s is ProcStat => s !== undefined);
    if (found.length === 0) return undefined;
    return found.reduce((total, s) => total + s.own + (withChildren ? s.children : 0), 0);
  };
  const everything = allPids().map(stat);
  return {
    processors: sum(processorPids.map(stat), false),
    broker: sum(
      everything.filter((s) => s?.comm === 'java' && commandLine(s.pid).includes('kafka.Kafka')),
      false,
    ),
    // Backends come and go: the server's CPU is the live processes' plus what the postmaster
    // collected from those that exited.
    postgres: sum(
      everything.filter((s) => s?.comm === 'postgres'),
      true,
    ),
  };
}

/** CPU used between two readings, in µs per `count` (undefined where either has no value). */
export function cpuPer(
  before: CpuReading,
  after: CpuReading,
  count: number,
): Record<keyof CpuReading, number | undefined> {
  const per = (key: keyof CpuReading): number | undefined => {
    const [a, b] = [before[key], after[key]];
    return a === undefined || b === undefined ? undefined : ((b - a) * 1e6) / count;
  };
  return { processors: per('processors'), broker: per('broker'), postgres: per('postgres') };
}
