// An in-process network for driver tests: delivers messages between drivers
// asynchronously (like a socket would), and can cut members off.
import type { Message } from '../../../../src/manager/raft/core/index.js';
import type { RaftTransport, TransportHandlers } from '../../../../src/manager/raft/driver/transport.js';
import type { MemberId } from '../../../../src/manager/raft/types.js';

export class MemoryNetwork {
  private readonly handlers = new Map<string, TransportHandlers>();
  readonly down = new Set<string>();

  transport(id: string): RaftTransport {
    return {
      send: (messages: readonly Message[]) => {
        for (const m of messages) {
          if (this.down.has(id) || this.down.has(m.to)) continue;
          const h = this.handlers.get(m.to);
          if (h === undefined) continue;
          // Deliver later, as a real transport would; copy so nobody shares objects.
          setImmediate(() => {
            if (!this.down.has(m.to) && !this.down.has(m.from)) h.onMessage(structuredClone(m));
          });
        }
      },
      setPeer: () => undefined,
      removePeer: () => undefined,
      listen: (h: TransportHandlers) => void this.handlers.set(id, h),
      close: async () => void this.handlers.delete(id),
    };
  }

  isolate(id: MemberId): void {
    this.down.add(id);
  }

  heal(id: MemberId): void {
    this.down.delete(id);
  }
}
