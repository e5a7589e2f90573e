// The console's source over the RPC client: the manager's Control API on
// the local socket or over mutual TLS. The client reconnects by itself;
// the manager forwards to the leader, so a leader change shows up as a
// broken watch stream that the console resubscribes.
import { ControlContract } from '../api/contracts/control.js';
import type { RpcClient } from '../net/rpc/index.js';
import type { ConsoleSource } from './source.js';

const CALL_MS = 15_000;

export function rpcSource(client: RpcClient, address: string): ConsoleSource {
  const call = { deadlineMs: CALL_MS };
  return {
    address,
    status: () => client.status,
    onStatus: (listener) => client.onStatus(listener),
    watch: (signal) => client.stream(ControlContract, 'watch', { tables: ['nodes', 'services', 'tasks', 'clusters'] }, { signal }),
    raftStatus: (signal) => client.call(ControlContract, 'raftStatus', {}, { deadlineMs: 5000, signal }),
    logs: (ref, signal) => client.stream(ControlContract, 'serviceLogs', { ref, follow: true, tail: 200, timestamps: false }, { signal }),
    control: {
      getNode: (ref) => client.call(ControlContract, 'getNode', { ref }, call),
      updateNode: (ref, version, spec) => client.call(ControlContract, 'updateNode', { ref, version, spec }, call),
      getService: (ref) => client.call(ControlContract, 'getService', { ref }, call),
      updateService: (req) => client.call(ControlContract, 'updateService', req, call),
      removeService: (ref) => client.call(ControlContract, 'removeService', { ref }, call),
    },
  };
}
