// CPU and memory of a process from /proc (Linux): utime+stime from
// /proc/<pid>/stat, VmRSS and VmHWM (peak RSS) from /proc/<pid>/status.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticks: number | null = null;

/** Clock ticks per second (getconf CLK_TCK; 100 on Linux). */
function clockTicks(): number {
  if (ticks === null) {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    ticks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return ticks;
}

export interface ProcSample {
  readonly at: number;
  /** CPU seconds used so far (user + system). */
  readonly cpuSec: number;
  readonly rssBytes: number;
  readonly peakRssBytes: number;
}

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { at: performance.now(), cpuSec: (utime + stime) / clockTicks(), rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
}

/** Share of one core used between two samples (1 = one full core). */
export function cpuShare(a: ProcSample, b: ProcSample): number {
  return (b.cpuSec - a.cpuSec) / ((b.at - a.at) / 1000);
}

export const mib = (bytes: number): string => (bytes / 1024 ** 2).toFixed(0);
