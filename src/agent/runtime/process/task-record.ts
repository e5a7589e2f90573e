// A process task's files under <stateDir>/tasks/<taskId>/:
//   task.json    this record (identity, what to run, the supervisor once started)
//   output.log   stdout/stderr lines (see log-file.ts)
//   exit.json    how the task ended, written by the supervisor (or the runtime
//                when it had to SIGKILL the supervisor too)
//   health.json  the last health status, so an adopted task keeps it
//   secrets/ configs/   the task's files; the task's working directory is the
//                task dir itself unless its spec names one
// Records are written to a temporary file and renamed, so a reader never sees
// half of one.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HealthStatus, RuntimeHealthcheck } from '../types.js';
import { isRecord, numberField, stringArray, stringField, stringMap } from '../unknown.js';

export interface SupervisorRef {
  readonly pid: number;
  /** /proc/<pid>/stat start time, to tell this process from a later one with the same pid. */
  readonly startTime: number;
  readonly startedAt: string;
}

export interface TaskRecord {
  readonly version: 1;
  readonly taskId: string;
  readonly serviceId: string;
  readonly serviceName: string;
  readonly nodeId: string;
  readonly slot: number | undefined;
  /** Recorded, not used: a process task has no image. */
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  // What the supervisor reads: argv, env, cwd.
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly stopSignal: string;
  readonly stopGracePeriodMs: number;
  readonly healthcheck: RuntimeHealthcheck | undefined;
  readonly createdAt: string;
  readonly supervisor: SupervisorRef | undefined;
}

export interface ExitRecord {
  readonly exitCode: number;
  readonly signal?: string;
  readonly error?: string;
  readonly finishedAt: string;
}

export function taskDir(stateDir: string, taskId: string): string {
  return join(stateDir, 'tasks', taskId);
}

export const recordPath = (dir: string): string => join(dir, 'task.json');
export const exitPath = (dir: string): string => join(dir, 'exit.json');
export const healthPath = (dir: string): string => join(dir, 'health.json');
export const logPath = (dir: string): string => join(dir, 'output.log');

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(value), { mode: 0o600 });
  await rename(tmp, path);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export const writeTaskRecord = (dir: string, record: TaskRecord): Promise<void> =>
  writeJsonAtomically(recordPath(dir), record);
export const writeExitRecord = (dir: string, exit: ExitRecord): Promise<void> => writeJsonAtomically(exitPath(dir), exit);
export const writeHealth = (dir: string, status: HealthStatus): Promise<void> =>
  writeJsonAtomically(healthPath(dir), { status });

function parseHealthcheck(value: unknown): RuntimeHealthcheck | undefined {
  if (!isRecord(value)) return undefined;
  const test = stringArray(value['test']);
  const intervalMs = numberField(value, 'intervalMs');
  const timeoutMs = numberField(value, 'timeoutMs');
  const retries = numberField(value, 'retries');
  const startPeriodMs = numberField(value, 'startPeriodMs');
  if (test === undefined || intervalMs === undefined || timeoutMs === undefined) return undefined;
  if (retries === undefined || startPeriodMs === undefined) return undefined;
  return { test, intervalMs, timeoutMs, retries, startPeriodMs };
}

function parseSupervisor(value: unknown): SupervisorRef | undefined {
  if (!isRecord(value)) return undefined;
  const pid = numberField(value, 'pid');
  const startTime = numberField(value, 'startTime');
  const startedAt = stringField(value, 'startedAt');
  return pid === undefined || startTime === undefined || startedAt === undefined ? undefined : { pid, startTime, startedAt };
}

/** The record in `dir`, or undefined when there is none or it is not one. */
export async function readTaskRecord(dir: string): Promise<TaskRecord | undefined> {
  const value = await readJson(recordPath(dir));
  if (!isRecord(value) || value['version'] !== 1) return undefined;
  const fields = ['taskId', 'serviceId', 'serviceName', 'nodeId', 'image', 'cwd', 'stopSignal', 'createdAt'] as const;
  const strings = Object.fromEntries(fields.map((key) => [key, stringField(value, key)]));
  const argv = stringArray(value['argv']);
  const grace = numberField(value, 'stopGracePeriodMs');
  const { taskId, serviceId, serviceName, nodeId, image, cwd, stopSignal, createdAt } = strings;
  if (taskId === undefined || serviceId === undefined || serviceName === undefined || nodeId === undefined) return undefined;
  if (image === undefined || cwd === undefined || stopSignal === undefined || createdAt === undefined) return undefined;
  if (argv === undefined || grace === undefined) return undefined;
  return {
    version: 1,
    taskId,
    serviceId,
    serviceName,
    nodeId,
    slot: numberField(value, 'slot'),
    image,
    labels: stringMap(value['labels']),
    argv,
    env: stringMap(value['env']),
    cwd,
    stopSignal,
    stopGracePeriodMs: grace,
    healthcheck: parseHealthcheck(value['healthcheck']),
    createdAt,
    supervisor: parseSupervisor(value['supervisor']),
  };
}

export async function readExitRecord(dir: string): Promise<ExitRecord | undefined> {
  const value = await readJson(exitPath(dir));
  if (!isRecord(value)) return undefined;
  const exitCode = numberField(value, 'exitCode');
  if (exitCode === undefined) return undefined;
  const signal = stringField(value, 'signal');
  const error = stringField(value, 'error');
  return {
    exitCode,
    ...(signal === undefined ? {} : { signal }),
    ...(error === undefined ? {} : { error }),
    finishedAt: stringField(value, 'finishedAt') ?? '',
  };
}

export async function readHealth(dir: string): Promise<HealthStatus | undefined> {
  const value = await readJson(healthPath(dir));
  const status = isRecord(value) ? value['status'] : undefined;
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : undefined;
}

export async function readMainPid(dir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(join(dir, 'main.pid'), 'utf8'), 10);
    return Number.isNaN(pid) ? undefined : pid;
  } catch {
    return undefined;
  }
}
