// /proc/<pid>/stat: whether a recorded pid is still the process we started
// (pids are reused; the start time, in clock ticks since boot, is not).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ProcStat {
  readonly pid: number;
  /** R, S, D, Z (zombie), T, ... */
  readonly state: string;
  readonly ppid: number;
  readonly pgrp: number;
  /** Field 22: start time in clock ticks after boot. */
  readonly startTime: number;
}

/** Parse one stat line; the command (field 2) may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open === -1 || close < open) return undefined;
  const pid = Number.parseInt(text.slice(0, open).trim(), 10);
  // Fields from 3 on: state ppid pgrp session tty_nr tpgid flags minflt cminflt
  // majflt cmajflt utime stime cutime cstime priority nice num_threads
  // itrealvalue starttime ...
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const state = rest[0];
  const ppid = Number.parseInt(rest[1] ?? '', 10);
  const pgrp = Number.parseInt(rest[2] ?? '', 10);
  const startTime = Number.parseInt(rest[19] ?? '', 10);
  if (state === undefined || [pid, ppid, pgrp, startTime].some((n) => Number.isNaN(n))) return undefined;
  return { pid, state, ppid, pgrp, startTime };
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Synchronous on purpose: right after spawn(), before this process yields to
 * its event loop, a child cannot have been reaped yet, so its stat is there.
 */
export function readProcStatNow(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The process `pid` exists, is not a zombie, and started at `startTime`. */
export async function isSameProcessAlive(pid: number, startTime: number): Promise<boolean> {
  const stat = await readProcStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X' && stat.startTime === startTime;
}
