// A WebSocket peer that speaks raw bytes, for feeding a server frames our
// client would never send and for misbehaving (never reading).
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { cborCodec } from '../../../../src/net/rpc/codec.js';

export type RawEvent = { readonly kind: 'frame'; readonly value: unknown } | { readonly kind: 'close'; readonly code: number };

const codec = cborCodec();

export class RawPeer {
  private readonly events: RawEvent[] = [];
  private waiter: ((e: RawEvent) => void) | undefined = undefined;
  closed = false;
  socket: Socket | undefined = undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('upgrade', (res: IncomingMessage) => (this.socket = res.socket as Socket));
    // One message may carry several frames (a CBOR sequence).
    ws.on('message', (data: Buffer) => {
      for (const value of codec.decodeAll(data)) this.push({ kind: 'frame', value });
    });
    ws.on('close', (code: number) => {
      this.closed = true;
      this.push({ kind: 'close', code });
    });
    ws.on('error', () => undefined);
  }

  static async open(path: string): Promise<RawPeer> {
    const ws = new WebSocket(`ws+unix://${path}:/`, { perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
    const peer = new RawPeer(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return peer;
  }

  sendBytes(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  sendFrame(frame: unknown): void {
    this.sendBytes(codec.encode(frame as never));
  }

  next(): Promise<RawEvent> {
    const e = this.events.shift();
    if (e !== undefined) return Promise.resolve(e);
    return new Promise((resolve) => (this.waiter = resolve));
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.terminate();
    });
  }

  private push(e: RawEvent): void {
    const w = this.waiter;
    if (w !== undefined) {
      this.waiter = undefined;
      w(e);
    } else {
      this.events.push(e);
    }
  }
}
