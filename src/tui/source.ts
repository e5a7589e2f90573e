// Where the console's data comes from and where its actions go: the
// manager's control API over an RpcClient (rpc-source.ts), or an in-memory
// stand-in for benchmarks and tests.
import type { LogLine, RaftStatusView, WatchEvent } from '../api/contracts/control.js';
import type { Node } from '../api/node.js';
import type { Service } from '../api/service.js';
import type { LinkStatus } from './state/connection.js';

/** The control calls the console's actions make. */
export interface ControlPort {
  getNode(ref: string): Promise<Node>;
  updateNode(ref: string, version: number, spec: unknown): Promise<Node>;
  getService(ref: string): Promise<Service>;
  updateService(req: { readonly ref: string; readonly version: number; readonly spec?: unknown; readonly rollback?: { readonly toVersion?: number } }): Promise<{ readonly warnings: readonly string[] }>;
  removeService(ref: string): Promise<{ readonly id: string }>;
}

export interface ConsoleSource {
  /** Shown in the header (unix:///…, wss://host:port). */
  readonly address: string;
  status(): LinkStatus;
  /** Returns the disposer. */
  onStatus(listener: (status: LinkStatus) => void): () => void;
  /** The snapshot as create events, then every change; ends or throws when the connection drops. */
  watch(signal: AbortSignal): AsyncIterable<WatchEvent>;
  raftStatus(signal: AbortSignal): Promise<RaftStatusView>;
  /** `ref` is a service or task id. */
  logs(ref: string, signal: AbortSignal): AsyncIterable<LogLine>;
  readonly control: ControlPort;
}
