// The four orchestrator services a manager runs while it leads (swarmkit
// manager.go starts them as fire-and-forget goroutines; here each is a
// supervised ReconcileLoop): replicated, global, jobs, and the task reaper.
// Each says which services a committed change concerns and which decider
// handles them.
//
//   const orchestrators = createOrchestrators({ store, clock: systemClock });
//   orchestrators.start(signal);   // ... later: await orchestrators.stop();
import type { ServiceId } from '../../api/ids.js';
import { asNodeId } from '../../api/ids.js';
import type { Service } from '../../api/service.js';
import type { ServiceModeKind } from '../../api/service-spec.js';
import { serviceModeKind } from '../../api/service-spec.js';
import type { Task } from '../../api/task.js';
import type { StoreEvent } from '../store/events.js';
import type { ReadTx } from '../store/read-tx.js';
import { allObjects, getObject, tasksOfNode } from '../store/typed.js';
import { decideGlobal } from './global.js';
import { decideJob } from './jobs.js';
import type { LoopDeps, SupervisedService } from './reconcile-loop.js';
import { ReconcileLoop } from './reconcile-loop.js';
import { decideReplicated } from './replicated.js';
import { retentionLimit } from './task-facts.js';
import { decideReap } from './task-reaper.js';

function servicesOfModes(view: ReadTx, modes: readonly ServiceModeKind[]): ServiceId[] {
  return allObjects(view, 'services')
    .filter((s) => modes.includes(serviceModeKind(s.Spec.Mode)))
    .map((s) => s.ID);
}

function isOfModes(service: Service | undefined, modes: readonly ServiceModeKind[]): boolean {
  return service !== undefined && modes.includes(serviceModeKind(service.Spec.Mode));
}

/**
 * Which services of the given modes an event concerns: the service itself
 * (created, updated, deleted), a task's service, and for a node change
 * either the services with tasks on it or, when the node's set of services
 * may grow (global modes), all of them.
 */
function keysForModes(modes: readonly ServiceModeKind[], nodeChangeTouchesAll: boolean) {
  return (event: StoreEvent, view: ReadTx): ServiceId[] | 'all' => {
    switch (event.table) {
      case 'services': {
        const service = event.object as Service;
        return isOfModes(service, modes) ? [service.ID] : [];
      }
      case 'tasks': {
        const task = event.object as Task;
        return isOfModes(getObject(view, 'services', task.ServiceID), modes) ? [task.ServiceID] : [];
      }
      case 'nodes': {
        if (nodeChangeTouchesAll) return 'all';
        const ids = new Set(tasksOfNode(view, asNodeId(event.object.ID)).map((t) => t.ServiceID));
        return [...ids].filter((id) => isOfModes(getObject(view, 'services', id), modes));
      }
      default:
        return [];
    }
  };
}

const REPLICATED: readonly ServiceModeKind[] = ['replicated'];
const GLOBAL: readonly ServiceModeKind[] = ['global'];
const JOBS: readonly ServiceModeKind[] = ['replicated-job', 'global-job'];

export function replicatedOrchestrator(deps: LoopDeps): ReconcileLoop {
  return new ReconcileLoop(
    {
      name: 'replicated orchestrator',
      allKeys: (view) => servicesOfModes(view, REPLICATED),
      keysOf: keysForModes(REPLICATED, false),
      decide: decideReplicated,
    },
    deps,
  );
}

export function globalOrchestrator(deps: LoopDeps): ReconcileLoop {
  return new ReconcileLoop(
    {
      name: 'global orchestrator',
      allKeys: (view) => servicesOfModes(view, GLOBAL),
      keysOf: keysForModes(GLOBAL, true),
      decide: decideGlobal,
    },
    deps,
  );
}

export function jobsOrchestrator(deps: LoopDeps): ReconcileLoop {
  return new ReconcileLoop(
    {
      name: 'jobs orchestrator',
      allKeys: (view) => servicesOfModes(view, JOBS),
      keysOf: keysForModes(JOBS, true),
      decide: decideJob,
    },
    deps,
  );
}

export interface ReaperOptions {
  /** Wait this long after a change before reaping, so bursts coalesce (swarmkit: 250 ms; default 0). */
  readonly batchMs?: number;
}

/** Every service, and every service id a task still names (a deleted service's tasks). */
function reaperKeys(view: ReadTx): ServiceId[] {
  const ids = new Set<ServiceId>(allObjects(view, 'services').map((s) => s.ID));
  for (const t of allObjects(view, 'tasks')) ids.add(t.ServiceID);
  return [...ids];
}

export function taskReaper(deps: LoopDeps, opts: ReaperOptions = {}): ReconcileLoop {
  return new ReconcileLoop(
    {
      name: 'task reaper',
      allKeys: reaperKeys,
      keysOf: (event) => {
        switch (event.table) {
          case 'tasks':
            return event.kind === 'delete' ? [] : [(event.object as Task).ServiceID];
          case 'services':
            return event.kind === 'delete' ? [event.object.ID as ServiceId] : [];
          case 'clusters':
            return 'all';
          default:
            return [];
        }
      },
      decide: (view, key) => decideReap(view, key, retentionLimit(view)),
      ...(opts.batchMs !== undefined ? { batchMs: opts.batchMs } : {}),
    },
    deps,
  );
}

export interface Orchestrators {
  readonly replicated: ReconcileLoop;
  readonly global: ReconcileLoop;
  readonly jobs: ReconcileLoop;
  readonly reaper: ReconcileLoop;
  readonly all: readonly SupervisedService[];
  start(signal?: AbortSignal): void;
  stop(): Promise<void>;
}

export function createOrchestrators(deps: LoopDeps, reaper: ReaperOptions = {}): Orchestrators {
  const o = {
    replicated: replicatedOrchestrator(deps),
    global: globalOrchestrator(deps),
    jobs: jobsOrchestrator(deps),
    reaper: taskReaper(deps, reaper),
  };
  const all = [o.replicated, o.global, o.jobs, o.reaper];
  return {
    ...o,
    all,
    start(signal) {
      for (const s of all) s.start(signal);
    },
    async stop() {
      await Promise.all(all.map((s) => s.stop()));
    },
  };
}
