// Where a task's secrets and configs go: a pure plan (files to write, mounts
// to add), then one IO step that writes them. Secret data only ever goes to
// files (never env, never a log line); see docker-runtime.ts for where the
// secret files live (a tmpfs).
import { mkdir, rm, writeFile, chmod } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { ShoalError } from '../../api/errors.js';
import type { RuntimeFile, RuntimeTaskSpec } from './types.js';

export const SECRETS_MOUNT_POINT = '/run/secrets';

export interface FileWrite {
  readonly hostPath: string;
  readonly data: Uint8Array;
  readonly mode: number;
}

export interface FileMount {
  /** A host directory or file, bind-mounted read-only. */
  readonly source: string;
  readonly target: string;
}

export interface FilePlan {
  /** Directories to create before writing (mode 0755 so a non-root task user can traverse them). */
  readonly dirs: readonly string[];
  readonly writes: readonly FileWrite[];
  readonly mounts: readonly FileMount[];
}

/**
 * A relative path that stays inside its directory ("db/password"), or an
 * InvalidArgument error naming the file.
 */
export function checkRelativeTarget(kind: 'secret' | 'config', file: RuntimeFile, target: string): string {
  const normal = posix.normalize(target);
  if (normal === '.' || normal === '' || normal.startsWith('../') || normal === '..' || posix.isAbsolute(normal)) {
    throw new ShoalError('InvalidArgument', `${kind} ${file.name}: invalid target ${JSON.stringify(file.target)}`, 'target');
  }
  return normal;
}

/**
 * Plan a container's files. Secrets with a relative target go into
 * `secretsDir/run/<target>` (that directory is mounted at /run/secrets);
 * secrets with an absolute target and every config are single files
 * (`secretsDir/abs/<i>`, `configsDir/<i>`) bind-mounted at their target.
 */
export function planContainerFiles(
  spec: Pick<RuntimeTaskSpec, 'secrets' | 'configs'>,
  secretsDir: string,
  configsDir: string,
): FilePlan {
  const dirs = new Set<string>();
  const writes: FileWrite[] = [];
  const mounts: FileMount[] = [];
  const runDir = join(secretsDir, 'run');
  spec.secrets.forEach((secret, i) => {
    if (posix.isAbsolute(secret.target)) {
      const hostPath = join(secretsDir, 'abs', String(i));
      dirs.add(dirname(hostPath));
      writes.push({ hostPath, data: secret.data, mode: secret.mode });
      mounts.push({ source: hostPath, target: posix.normalize(secret.target) });
      return;
    }
    const hostPath = join(runDir, checkRelativeTarget('secret', secret, secret.target));
    dirs.add(runDir);
    dirs.add(dirname(hostPath));
    writes.push({ hostPath, data: secret.data, mode: secret.mode });
  });
  if (dirs.has(runDir)) mounts.unshift({ source: runDir, target: SECRETS_MOUNT_POINT });
  spec.configs.forEach((config, i) => {
    const target = posix.isAbsolute(config.target)
      ? posix.normalize(config.target)
      : `/${checkRelativeTarget('config', config, config.target)}`;
    const hostPath = join(configsDir, String(i));
    dirs.add(configsDir);
    writes.push({ hostPath, data: config.data, mode: config.mode });
    mounts.push({ source: hostPath, target });
  });
  return { dirs: [...dirs].sort(), writes, mounts };
}

/**
 * Plan a process task's files: `taskDir/secrets/<target>` (mode 0400, the
 * directory 0700) and `taskDir/configs/<target without leading slash>`.
 */
export function planProcessFiles(spec: Pick<RuntimeTaskSpec, 'secrets' | 'configs'>, taskDir: string): FilePlan {
  const dirs = new Set<string>();
  const writes: FileWrite[] = [];
  for (const secret of spec.secrets) {
    const relative = posix.isAbsolute(secret.target) ? secret.target.slice(1) : secret.target;
    const hostPath = join(taskDir, 'secrets', checkRelativeTarget('secret', secret, relative));
    dirs.add(dirname(hostPath));
    writes.push({ hostPath, data: secret.data, mode: 0o400 });
  }
  for (const config of spec.configs) {
    const relative = posix.isAbsolute(config.target) ? config.target.slice(1) : config.target;
    const hostPath = join(taskDir, 'configs', checkRelativeTarget('config', config, relative));
    dirs.add(dirname(hostPath));
    writes.push({ hostPath, data: config.data, mode: config.mode });
  }
  return { dirs: [...dirs].sort(), writes, mounts: [] };
}

/** Create the plan's directories (with `dirMode`) and write its files with their modes. */
export async function writeFilePlan(plan: FilePlan, dirMode: number): Promise<void> {
  for (const dir of plan.dirs) {
    await mkdir(dir, { recursive: true, mode: dirMode });
    await chmod(dir, dirMode);
  }
  for (const write of plan.writes) {
    await rm(write.hostPath, { force: true });
    await writeFile(write.hostPath, write.data, { mode: write.mode, flag: 'wx' });
    await chmod(write.hostPath, write.mode);
  }
}
