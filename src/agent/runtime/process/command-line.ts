// What a process task runs. There is no image to supply an entrypoint, so:
// command ++ args when there is a command, else args; and a single word that
// holds a space ("sleep 5 && echo hi") runs through /bin/sh -c.
import { ShoalError } from '../../../api/errors.js';
import type { RuntimeTaskSpec } from '../types.js';

export function processArgv(spec: Pick<RuntimeTaskSpec, 'command' | 'args' | 'taskId'>): string[] {
  const command = spec.command ?? [];
  const argv = command.length > 0 ? [...command, ...(spec.args ?? [])] : [...(spec.args ?? [])];
  const first = argv[0];
  if (first === undefined || first === '') {
    throw new ShoalError(
      'InvalidArgument',
      `task ${spec.taskId}: the process runtime needs a command (there is no image to take one from)`,
      'command',
    );
  }
  if (argv.length === 1 && /\s/.test(first)) return ['/bin/sh', '-c', first];
  return argv;
}

/** The argv of a health check test, or undefined for ["NONE"] / an empty test. */
export function healthcheckArgv(test: readonly string[]): string[] | undefined {
  const [kind, ...rest] = test;
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

/** KEY=VALUE entries -> an env object; later entries win; a bare KEY is an empty value. */
export function envObject(entries: readonly string[], base: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = { ...base };
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq === 0) continue;
    if (eq === -1) env[entry] = '';
    else env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}
