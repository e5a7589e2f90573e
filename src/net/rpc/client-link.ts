// The client's side of one WebSocket: dialing events, keepalive pings, the
// outgoing buffer bound, and a single "closed" report saying why, in words
// an operator can act on. One ClientLink per connection attempt.
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import type { Timers, TimerHandle } from './timers.js';
import { toBytes, WsLink } from './ws-link.js';

/** The server answered the upgrade with an HTTP error (e.g. 401: certificate refused). */
export interface Refusal {
  readonly status: number;
  readonly message: string;
}

export interface ClientLinkEvents {
  opened(): void;
  receive(bytes: Uint8Array, isBinary: boolean): void;
  /** Exactly once, whether the connection ever opened or not. */
  closed(reason: string, refusal: Refusal | undefined): void;
}

/** How long `close` waits for the server's half of the close handshake. */
const CLOSE_GRACE_MS = 1000;

export class ClientLink {
  private out: WsLink | undefined = undefined;
  private error: string | undefined = undefined;
  private refusal: Refusal | undefined = undefined;
  private dropReason: string | undefined = undefined;
  private pingTimer: TimerHandle | undefined = undefined;
  private awaitingPong = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly maxMessageBytes: number,
    private readonly maxBufferedBytes: number,
    private readonly keepaliveMs: number,
    private readonly timers: Timers,
    private readonly events: ClientLinkEvents,
  ) {
    ws.on('unexpected-response', (_req, res: IncomingMessage) => {
      this.refusal = { status: res.statusCode ?? 0, message: res.statusMessage ?? '' };
      res.resume();
      ws.terminate();
    });
    ws.on('open', () => {
      this.out = new WsLink(ws, this.maxMessageBytes);
      if (this.keepaliveMs > 0) this.schedulePing();
      events.opened();
    });
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => events.receive(toBytes(data), isBinary));
    ws.on('pong', () => {
      this.awaitingPong = false;
    });
    ws.on('error', (error: Error) => {
      this.error ??= error.message;
    });
    this.done = new Promise((resolve) => {
      ws.once('close', (code: number, reason: Buffer) => {
        if (this.pingTimer !== undefined) this.timers.clearTimeout(this.pingTimer);
        this.pingTimer = undefined;
        ws.removeAllListeners();
        // A late 'error' from the socket must not become an uncaught exception.
        ws.on('error', () => {});
        events.closed(this.describe(code, reason.toString('utf8')), this.refusal);
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): void {
    if (this.out === undefined || this.dropReason !== undefined) return;
    this.out.send(bytes);
    if (this.out.bufferedAmount > this.maxBufferedBytes) this.drop(`${this.out.bufferedAmount} bytes are waiting to be sent: the server is not reading`);
  }

  /** Cut the connection now, giving `reason` as the cause. */
  drop(reason: string): void {
    this.dropReason ??= reason;
    this.ws.terminate();
  }

  /** Close politely; resolves once the socket is closed (cut after a short grace). */
  async close(code: number, reason: string): Promise<void> {
    this.dropReason ??= 'the client was closed';
    if (this.ws.readyState === this.ws.CONNECTING) this.ws.terminate();
    else this.ws.close(code, reason);
    const grace = this.timers.setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    await this.done;
    this.timers.clearTimeout(grace);
  }

  private schedulePing(): void {
    this.pingTimer = this.timers.setTimeout(() => {
      this.pingTimer = undefined;
      if (this.awaitingPong) return this.drop(`no answer to a keepalive ping within ${this.keepaliveMs} ms`);
      this.awaitingPong = true;
      this.ws.ping();
      this.schedulePing();
    }, this.keepaliveMs);
  }

  private describe(code: number, reason: string): string {
    if (this.dropReason !== undefined) return this.dropReason;
    if (this.refusal !== undefined) return `the server refused the connection: HTTP ${this.refusal.status} ${this.refusal.message}`;
    if (this.error !== undefined && this.out === undefined) return this.error;
    const said = reason === '' ? '' : `: ${reason}`;
    if (code === 1006) return `the connection was cut${this.error === undefined ? '' : ` (${this.error})`}`;
    return `the server closed the connection (code ${code}${said})`;
  }
}
