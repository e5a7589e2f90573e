// The embedded default: `shoal up` starts a local cluster on this machine
// (3 managers and 2 workers as shoald processes on 127.0.77.1-5, the docker
// runtime when an engine answers, else the process runtime), deploys a small
// demo stack and opens the console; `shoal down` stops it. The cluster's
// state lives in ~/.shoal/local (or $SHOAL_LOCAL_DIR), so `shoal up` again
// resumes the same cluster.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlContract } from '../../api/contracts/control.js';
import { DaemonContract } from '../../api/contracts/daemon.js';
import type { Command, RunContext } from '../framework/command.js';
import type { Global } from '../global.js';
import { LocalCluster } from '../local-cluster.js';
import { runConsole } from './console.js';

const NAMES = ['manager1', 'manager2', 'manager3', 'worker1', 'worker2'];

export function localDir(env: Readonly<Record<string, string | undefined>>): string {
  return env['SHOAL_LOCAL_DIR'] ?? join(homedir(), '.shoal', 'local');
}

function localCluster(env: Readonly<Record<string, string | undefined>>, runtime: 'docker' | 'process' | 'auto' = 'auto'): LocalCluster {
  return new LocalCluster({ dir: localDir(env), names: NAMES, subnet: 77, port: 2377, runtime });
}

/** The demo stack: a web service with 3 replicas, a worker, and a global agent. */
export const DEMO_SERVICES = [
  { Name: 'web', Mode: { Replicated: { Replicas: 3 } }, command: ['sh', '-c', 'while true; do echo "GET / 200"; sleep 5; done'] },
  { Name: 'worker', Mode: { Replicated: { Replicas: 1 } }, command: ['sh', '-c', 'while true; do echo "processed a job"; sleep 7; done'] },
  { Name: 'agent', Mode: { Global: {} }, command: ['sh', '-c', 'while true; do echo "node ok"; sleep 10; done'] },
] as const;

async function up(ctx: RunContext<Global>): Promise<number> {
  const out = (s: string): void => ctx.io.out.write(s);
  const runtimeFlag = ctx.flags.string('runtime') ?? 'auto';
  if (runtimeFlag !== 'auto' && runtimeFlag !== 'docker' && runtimeFlag !== 'process') {
    ctx.io.err.write(`invalid --runtime "${runtimeFlag}": use docker, process or auto\n`);
    return 125;
  }
  const cluster = localCluster(ctx.io.env, runtimeFlag);
  try {
    out(`Starting a local shoal cluster in ${localDir(ctx.io.env)}\n`);
    await Promise.all(cluster.nodes.map(async (n) => (cluster.runningPid(n.name) === null ? cluster.startDetached(n.name) : 0)));
    const info = await cluster.client('manager1').call(DaemonContract, 'info', {});
    if (info.Swarm.LocalNodeState === 'inactive') {
      out('Initializing the swarm on manager1 and joining the other nodes...\n');
      const tokens = await cluster.init('manager1');
      await cluster.join('manager2', 'manager1', tokens.managerToken);
      await cluster.join('manager3', 'manager1', tokens.managerToken);
      await cluster.join('worker1', 'manager1', tokens.workerToken);
      await cluster.join('worker2', 'manager1', tokens.workerToken);
      const image = info.Runtime === 'docker' ? 'local/busybox:1' : 'busybox';
      for (const svc of DEMO_SERVICES) {
        await cluster.client('manager1').call(ControlContract, 'createService', {
          spec: { Name: svc.Name, Mode: svc.Mode, TaskTemplate: { ContainerSpec: { Image: image, Command: [...svc.command] } } },
        });
      }
      out(`Deployed the demo stack: ${DEMO_SERVICES.map((s) => s.Name).join(', ')} (runtime: ${info.Runtime}).\n`);
    } else {
      out('Resumed the existing local cluster.\n');
    }
    const host = `unix://${cluster.node('manager1').socket}`;
    out(`\nThe cluster answers on ${host}. Try:\n  export SHOAL_HOST=${host}\n  shoal node ls\n  shoal service ls\n  shoal console\nStop it with: shoal down\n`);
    if (ctx.flags.bool('no-console') || process.stdin.isTTY !== true || process.stdout.isTTY !== true) return 0;
    return await runConsole(host);
  } finally {
    await cluster.closeClients();
  }
}

export const upCommand: Command<Global> = {
  name: 'up',
  usage: '[OPTIONS]',
  short: 'Start a local cluster on this machine (3 managers, 2 workers), deploy a demo stack and open the console',
  args: { kind: 'none' },
  flags: [
    { name: 'runtime', kind: 'string', usage: 'Task runtime: docker, process or auto', defaultText: 'auto', valueName: 'string' },
    { name: 'no-console', kind: 'bool', usage: 'Do not open the console' },
  ],
  run: up,
};

export const downCommand: Command<Global> = {
  name: 'down',
  usage: '[OPTIONS]',
  short: 'Stop the local cluster that `shoal up` started (its state is kept; --remove deletes it)',
  args: { kind: 'none' },
  flags: [{ name: 'remove', kind: 'bool', usage: 'Also delete the cluster state' }],
  run: async (ctx) => {
    const cluster = localCluster(ctx.io.env);
    const stopped = await cluster.stopDetached();
    const tasks = await cluster.removeTasks();
    ctx.io.out.write(stopped.length === 0 ? 'No local cluster is running.\n' : `Stopped ${stopped.join(', ')}.\n`);
    if (tasks > 0) ctx.io.out.write(`Removed ${tasks} tasks the nodes had left running.\n`);
    if (ctx.flags.bool('remove')) {
      await cluster.stop(true);
      ctx.io.out.write(`Removed ${localDir(ctx.io.env)}.\n`);
    }
    return 0;
  },
};
