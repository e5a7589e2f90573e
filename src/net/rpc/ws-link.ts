// Adapts a `ws` WebSocket to a Link and feeds its messages to a receiver.
// A burst of frames (say 64 responses to one read) costs one WebSocket
// message and one write instead of 64.
import type { WebSocket } from 'ws';
import type { Link } from './link.js';

const SEND_OPTIONS = { binary: true } as const;

export interface LinkReceiver {
  receive(bytes: Uint8Array, isBinary: boolean): void;
  closed(code: number, reason: string): void;
}

/**
 * A `ws` WebSocket (already open) as a Link. Frames sent in one callback
 * (and the microtasks it triggers) are batched into one message, flushed on
 * process.nextTick; a batch never exceeds `maxMessageBytes`. `bind` routes
 * the socket's events to a receiver and returns the disposer.
 */
export class WsLink implements Link {
  private readonly batch: Uint8Array[] = [];
  private batchBytes = 0;
  private scheduled = false;
  private readonly onTick = (): void => {
    this.scheduled = false;
    this.flush();
  };

  constructor(
    readonly ws: WebSocket,
    private readonly maxMessageBytes: number,
  ) {}

  send(bytes: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.batchBytes + bytes.byteLength > this.maxMessageBytes) this.flush();
    const last = this.batch.at(-1);
    if (last !== undefined && last.buffer === bytes.buffer && last.byteOffset + last.byteLength === bytes.byteOffset) {
      // The encoder wrote this frame right after the previous one: extend the view, no copy.
      this.batch[this.batch.length - 1] = new Uint8Array(last.buffer, last.byteOffset, last.byteLength + bytes.byteLength);
    } else {
      this.batch.push(bytes);
    }
    this.batchBytes += bytes.byteLength;
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(this.onTick);
    }
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount + this.batchBytes;
  }

  close(code: number, reason: string): void {
    this.flush();
    this.ws.close(code, reason);
  }

  terminate(): void {
    this.batch.length = 0;
    this.batchBytes = 0;
    this.ws.terminate();
  }

  bind(receiver: LinkReceiver): () => void {
    const ws = this.ws;
    const onMessage = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void => receiver.receive(toBytes(data), isBinary);
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

  private flush(): void {
    const batch = this.batch;
    if (batch.length === 0) return;
    const message = batch.length === 1 ? batch[0] : Buffer.concat(batch, this.batchBytes);
    batch.length = 0;
    this.batchBytes = 0;
    if (message !== undefined && this.ws.readyState === this.ws.OPEN) this.ws.send(message, SEND_OPTIONS);
  }
}

export function toBytes(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  return Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}
