// Adapts a `ws` WebSocket to a Link and feeds its messages to a receiver.
// Writes made in one callback (and the microtasks it triggers) are corked
// together and flushed once, so a burst of responses costs one syscall.
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Link } from './link.js';

const SEND_OPTIONS = { binary: true } as const;

export interface LinkReceiver {
  receive(bytes: Uint8Array, isBinary: boolean): void;
  closed(code: number, reason: string): void;
}

/**
 * A `ws` WebSocket (already open) as a Link. `socket` is the underlying
 * net/TLS socket, used for corking writes. `bind` routes the socket's
 * events to a receiver and returns the disposer that detaches them.
 */
export class WsLink implements Link {
  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.socket?.uncork();
  };

  constructor(
    readonly ws: WebSocket,
    private readonly socket: Socket | undefined,
  ) {}

  send(bytes: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!this.corked && this.socket !== undefined) {
      this.corked = true;
      this.socket.cork();
      // Runs once the current callback and its microtasks are done, so every
      // response resolved in this turn goes out in one write.
      process.nextTick(this.uncork);
    }
    this.ws.send(bytes, SEND_OPTIONS);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.ws.terminate();
  }

  bind(receiver: LinkReceiver): () => void {
    const ws = this.ws;
    const onMessage = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
      receiver.receive(bytes, isBinary);
    };
    const onClose = (code: number, reason: Buffer): void => receiver.closed(code, reason.toString('utf8'));
    // Errors (oversize messages, bad close frames, resets) are always followed by 'close'.
    const onError = (): void => {};
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.on('error', onError);
    return () => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      ws.off('error', onError);
    };
  }
}
