// A unix-socket relay in front of a server, so a test can cut every
// connection abruptly (no close frames, no error frames) like a network failure.
import { createServer, connect, type Socket } from 'node:net';
import { join } from 'node:path';

export interface Relay {
  readonly path: string;
  /** Destroy every relayed connection now. */
  cut(): void;
  close(): Promise<void>;
}

export async function relay(dir: string, target: string): Promise<Relay> {
  const path = join(dir, `relay-${Math.random().toString(36).slice(2)}.sock`);
  const sockets = new Set<Socket>();
  const server = createServer((inbound) => {
    const outbound = connect(target);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
