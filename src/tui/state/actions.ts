// What an operator can ask the cluster to do from the console. The key
// handler returns these as effects; the executor (src/tui/executor.ts)
// turns each into control API calls. Pure here: names, confirmations and
// the words for the outcome.
import { assertNever } from '../../api/errors.js';
import type { NodeAvailability, NodeRole } from '../../api/node.js';

export type Action =
  | { readonly kind: 'node-availability'; readonly nodeId: string; readonly name: string; readonly availability: NodeAvailability }
  | { readonly kind: 'node-role'; readonly nodeId: string; readonly name: string; readonly role: NodeRole }
  | { readonly kind: 'service-scale'; readonly serviceId: string; readonly name: string; readonly replicas: number }
  /** `+`/`-`: relative to the replicas the manager has when it runs, so quick presses add up. */
  | { readonly kind: 'service-scale-by'; readonly serviceId: string; readonly name: string; readonly delta: number; readonly expected: number }
  | { readonly kind: 'service-image'; readonly serviceId: string; readonly name: string; readonly image: string }
  | { readonly kind: 'service-rollback'; readonly serviceId: string; readonly name: string }
  | { readonly kind: 'service-restart'; readonly serviceId: string; readonly name: string }
  | { readonly kind: 'service-remove'; readonly serviceId: string; readonly name: string };

/** The question for a destructive action, or undefined when it runs without asking. */
export function confirmQuestion(a: Action): string | undefined {
  switch (a.kind) {
    case 'node-availability':
      return a.availability === 'drain' ? `Drain node ${a.name}? Its tasks will be moved to other nodes.` : undefined;
    case 'node-role':
      return a.role === 'worker' ? `Demote node ${a.name} to a worker?` : undefined;
    case 'service-scale':
      return a.replicas === 0 ? `Scale service ${a.name} to 0? All of its tasks will stop.` : undefined;
    case 'service-scale-by':
      return a.expected === 0 ? `Scale service ${a.name} to 0? All of its tasks will stop.` : undefined;
    case 'service-rollback':
      return `Roll back service ${a.name} to its previous spec?`;
    case 'service-remove':
      return `Remove service ${a.name}? Its tasks will stop.`;
    case 'service-image':
    case 'service-restart':
      return undefined;
    default:
      return assertNever(a, 'action');
  }
}

/** What the status line says while the action runs. */
export function pendingText(a: Action): string {
  switch (a.kind) {
    case 'node-availability':
      return `setting ${a.name} to ${a.availability}…`;
    case 'node-role':
      return `${a.role === 'manager' ? 'promoting' : 'demoting'} ${a.name}…`;
    case 'service-scale':
      return `scaling ${a.name} to ${a.replicas}…`;
    case 'service-scale-by':
      return `scaling ${a.name} ${a.delta > 0 ? 'up' : 'down'} by ${Math.abs(a.delta)}…`;
    case 'service-image':
      return `updating ${a.name} to ${a.image}…`;
    case 'service-rollback':
      return `rolling back ${a.name}…`;
    case 'service-restart':
      return `restarting the tasks of ${a.name}…`;
    case 'service-remove':
      return `removing ${a.name}…`;
    default:
      return assertNever(a, 'action');
  }
}

/** What the status line says when the manager accepted it (Docker's words where Docker has some); `replicas` is what a relative scale reached. */
export function doneText(a: Action, replicas?: number): string {
  switch (a.kind) {
    case 'node-availability':
      return a.availability === 'drain' ? `Node ${a.name} drained.` : a.availability === 'pause' ? `Node ${a.name} paused.` : `Node ${a.name} active.`;
    case 'node-role':
      return a.role === 'manager' ? `Node ${a.name} promoted to a manager in the swarm.` : `Manager ${a.name} demoted in the swarm.`;
    case 'service-scale':
      return `${a.name} scaled to ${a.replicas}`;
    case 'service-scale-by':
      return `${a.name} scaled to ${replicas ?? a.expected}`;
    case 'service-image':
      return `${a.name} updated to image ${a.image}`;
    case 'service-rollback':
      return `${a.name}: rollback requested`;
    case 'service-restart':
      return `${a.name}: forced update requested, its tasks will be replaced`;
    case 'service-remove':
      return `${a.name} removed`;
    default:
      return assertNever(a, 'action');
  }
}
