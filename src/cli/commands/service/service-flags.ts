// The flags of `service create` and `service update`, with docker/cli's
// names, shorthands, value names and help (cli/command/service/opts.go
// addServiceFlags, create.go, update.go). Values are parsed by
// spec-from-flags.ts; here they are declared as strings or lists so that
// "not given" can be told apart from a default, as pflag's Changed does.
// Help lists them alphabetically, as cobra does.
import type { FlagDef } from '../../framework/flags.js';

type Def = FlagDef;

function str(name: string, usage: string, valueName = 'string', extra: Partial<Def> = {}): Def {
  return { name, kind: 'string', usage, valueName, ...extra };
}

function list(name: string, usage: string, valueName = 'list', extra: Partial<Def> = {}): Def {
  return { name, kind: 'list', usage, valueName, ...extra };
}

function bool(name: string, usage: string, extra: Partial<Def> = {}): Def {
  return { name, kind: 'bool', usage, ...extra };
}

function byName(defs: readonly Def[]): Def[] {
  return [...defs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export const DETACH_FLAG: Def = bool('detach', 'Exit immediately instead of waiting for the service to converge', { short: 'd' });
export const QUIET_PROGRESS_FLAG: Def = bool('quiet', 'Suppress progress output', { short: 'q' });

/** addServiceFlags: what create and update share. `create` shows Docker's defaults in the help. */
function commonFlags(create: boolean): Def[] {
  const d = (text: string): Partial<Def> => (create ? { defaultText: text } : {});
  return [
    DETACH_FLAG,
    QUIET_PROGRESS_FLAG,
    str('workdir', 'Working directory inside the container', 'string', { short: 'w' }),
    str('user', 'Username or UID (format: <name|uid>[:<group|gid>])', 'string', { short: 'u' }),
    str('hostname', 'Container hostname'),
    str('entrypoint', 'Overwrite the default ENTRYPOINT of the image', 'command'),
    str('limit-cpu', 'Limit CPUs', 'decimal'),
    str('limit-memory', 'Limit Memory', 'bytes'),
    str('reserve-cpu', 'Reserve CPUs', 'decimal'),
    str('reserve-memory', 'Reserve Memory', 'bytes'),
    str('stop-grace-period', 'Time to wait before force killing a container (ns|us|ms|s|m|h)', 'duration', d('10s')),
    str('replicas', 'Number of tasks', 'uint'),
    str('max-concurrent', 'Number of job tasks to run concurrently (default equal to --replicas)', 'uint'),
    str('replicas-max-per-node', 'Maximum number of tasks per node (default 0 = unlimited)', 'uint'),
    str('restart-condition', 'Restart when condition is met ("none", "on-failure", "any")', 'string', d('"any"')),
    str('restart-delay', 'Delay between restart attempts (ns|us|ms|s|m|h)', 'duration', d('5s')),
    str('restart-max-attempts', 'Maximum number of restarts before giving up', 'uint'),
    str('restart-window', 'Window used to evaluate the restart policy (ns|us|ms|s|m|h)', 'duration'),
    str('update-parallelism', 'Maximum number of tasks updated simultaneously (0 to update all at once)', 'uint', d('1')),
    str('update-delay', 'Delay between updates (ns|us|ms|s|m|h)', 'duration', d('0s')),
    str('update-monitor', 'Duration after each task update to monitor for failure (ns|us|ms|s|m|h)', 'duration', d('5s')),
    str('update-failure-action', 'Action on update failure ("pause", "continue", "rollback")', 'string', d('"pause"')),
    str('update-max-failure-ratio', 'Failure rate to tolerate during an update', 'float', d('0')),
    str('update-order', 'Update order ("start-first", "stop-first")', 'string', d('"stop-first"')),
    str('rollback-parallelism', 'Maximum number of tasks rolled back simultaneously (0 to roll back all at once)', 'uint', d('1')),
    str('rollback-delay', 'Delay between task rollbacks (ns|us|ms|s|m|h)', 'duration', d('0s')),
    str('rollback-monitor', 'Duration after each task rollback to monitor for failure (ns|us|ms|s|m|h)', 'duration', d('5s')),
    str('rollback-failure-action', 'Action on rollback failure ("pause", "continue")', 'string', d('"pause"')),
    str('rollback-max-failure-ratio', 'Failure rate to tolerate during a rollback', 'float', d('0')),
    str('rollback-order', 'Rollback order ("start-first", "stop-first")', 'string', d('"stop-first"')),
    str('endpoint-mode', 'Endpoint mode (vip or dnsrr)', 'string', d('"vip"')),
    str('health-cmd', 'Command to run to check health'),
    str('health-interval', 'Time between running the check (ms|s|m|h)', 'duration'),
    str('health-timeout', 'Maximum time to allow one check to run (ms|s|m|h)', 'duration'),
    { name: 'health-retries', kind: 'int', usage: 'Consecutive failures needed to report unhealthy', valueName: 'int' },
    str('health-start-period', 'Start period for the container to initialize before counting retries towards unstable (ms|s|m|h)', 'duration'),
    bool('no-healthcheck', 'Disable any container-specified HEALTHCHECK'),
    bool('tty', 'Allocate a pseudo-TTY', { short: 't' }),
    bool('read-only', "Mount the container's root filesystem as read only"),
    str('stop-signal', 'Signal to stop the container'),
    bool('init', 'Use an init inside each service container to forward signals and reap processes'),
  ];
}

/** `service create [OPTIONS] IMAGE [COMMAND] [ARG...]` */
export const CREATE_FLAGS: readonly Def[] = byName([
  ...commonFlags(true),
  str('mode', 'Service mode ("replicated", "global", "replicated-job", "global-job")', 'string', { defaultText: '"replicated"' }),
  str('name', 'Service name'),
  list('label', 'Service labels', 'list', { short: 'l' }),
  list('container-label', 'Container labels'),
  list('env', 'Set environment variables', 'list', { short: 'e' }),
  list('mount', 'Attach a filesystem mount to the service', 'mount'),
  list('constraint', 'Placement constraints'),
  list('placement-pref', 'Add a placement preference', 'pref'),
  list('network', 'Network attachments', 'network'),
  list('secret', 'Specify secrets to expose to the service', 'secret'),
  list('config', 'Specify configurations to expose to the service', 'config'),
  list('publish', 'Publish a port as a node port', 'port', { short: 'p' }),
]);

/** `service update [OPTIONS] SERVICE` */
export const UPDATE_FLAGS: readonly Def[] = byName([
  ...commonFlags(false),
  str('image', 'Service image tag'),
  str('args', 'Service command args', 'command'),
  bool('rollback', 'Rollback to previous specification'),
  bool('force', 'Force update even if no changes require it'),
  list('env-add', 'Add or update an environment variable'),
  list('env-rm', 'Remove an environment variable'),
  list('label-add', 'Add or update a service label'),
  list('label-rm', 'Remove a label by its key'),
  list('container-label-add', 'Add or update a container label'),
  list('container-label-rm', 'Remove a container label by its key'),
  list('mount-add', 'Add or update a mount on a service', 'mount'),
  list('mount-rm', 'Remove a mount by its target path'),
  list('publish-add', 'Add or update a published port', 'port'),
  list('publish-rm', 'Remove a published port by its target port', 'port'),
  list('constraint-add', 'Add or update a placement constraint'),
  list('constraint-rm', 'Remove a constraint'),
  list('placement-pref-add', 'Add a placement preference', 'pref'),
  list('placement-pref-rm', 'Remove a placement preference', 'pref'),
  list('network-add', 'Add a network', 'network'),
  list('network-rm', 'Remove a network'),
  list('secret-add', 'Add or update a secret on a service', 'secret'),
  list('secret-rm', 'Remove a secret'),
  list('config-add', 'Add or update a config file on a service', 'config'),
  list('config-rm', 'Remove a configuration file'),
]);

/** The update flags that `--rollback` tolerates (docker/cli runUpdate). */
export const ROLLBACK_COMPATIBLE = ['rollback', 'detach', 'quiet'] as const;
