// Turning an HTTP upgrade into a served connection. The transport decides
// who the peer is from the request (socket credentials, certificate); a
// refused request gets an HTTP error and never reaches the RPC server, so
// no handler runs for it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Peer } from '../../api/contract.js';
import type { RpcServer } from './server.js';
import type { ServerConnection } from './server-connection.js';
import { WsLink } from './ws-link.js';

export type PeerDecision = { readonly ok: true; readonly peer: Peer } | { readonly ok: false; readonly status: 401 | 403; readonly reason: string };

/** How long `closeAll` lets clients answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 2000;

export class UpgradeAcceptor {
  private readonly wss: WebSocketServer;
  private readonly live = new Map<WebSocket, ServerConnection>();

  constructor(
    private readonly server: RpcServer,
    private readonly decide: (req: IncomingMessage) => PeerDecision,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: server.limits.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
  }

  /** The http(s) server's 'upgrade' listener. */
  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => socket.destroy());
    let decision: PeerDecision;
    try {
      decision = this.decide(req);
    } catch (error) {
      decision = { ok: false, status: 401, reason: `cannot identify the client: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (!decision.ok) return refuse(socket, decision.status, decision.reason);
    const peer = decision.peer;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const link = new WsLink(ws, this.server.limits.maxFrameBytes);
      const conn = this.server.accept(link, peer);
      this.live.set(ws, conn);
      const detach = link.bind({
        receive: (bytes, isBinary) => conn.receive(bytes, isBinary),
        closed: (code, reason) => {
          detach();
          this.live.delete(ws);
          conn.closed(code, reason);
        },
      });
    });
  };

  /** Close every connection this acceptor made: open calls fail with Unavailable, clients see 1001 "going away". */
  async closeAll(): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [ws, conn] of this.live) {
      waits.push(new Promise((resolve) => ws.once('close', () => resolve())));
      conn.shutdown();
    }
    this.wss.close();
    if (waits.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_GRACE_MS);
    });
    await Promise.race([Promise.all(waits), grace]);
    clearTimeout(timer);
    for (const ws of this.live.keys()) ws.terminate();
    await Promise.all(waits);
  }
}

/** Answer a plain HTTP request on an RPC port. */
export function upgradeRequired(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(426, { 'content-type': 'text/plain', connection: 'close' });
  res.end('shoal rpc: connect with a WebSocket\n');
}

function refuse(socket: Duplex, status: 401 | 403, reason: string): void {
  // The reason travels in the status line so a client can show it without reading a body.
  const clean = reason.replace(/[^\x20-\x7e]/g, ' ').slice(0, 200);
  const body = `${clean}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${clean}\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
