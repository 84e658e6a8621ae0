import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

const SOCKET_IO_PATH = '/socket.io/';

/**
 * Tracks the HTTP server's in-flight requests and closes it without cutting any of them off:
 * from `closeAfterResponse()` on every response carries `Connection: close` (the connection ends
 * once its answer is written, so a client never reuses a connection the server is about to drop);
 * `stopAccepting()` closes the listener (new connections are refused) and the idle keep-alive
 * connections; `idle()` resolves once no request is in flight.
 */
export class HttpDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private readonly upgraded = new Set<Duplex>();
  private closing = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly server: Server) {
    // Prepended: runs before Express, so even a response written synchronously is marked.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      // Socket.IO long-polling requests are held open by design (up to pingInterval): they are
      // sockets, closed by the socket drain, not requests to wait for.
      if (req.url?.startsWith(SOCKET_IO_PATH)) return;
      this.inFlight.add(res);
      if (this.closing) res.shouldKeepAlive = false;
      res.once('close', () => {
        this.inFlight.delete(res);
        if (!this.closing) return;
        // A keep-alive connection whose response went out before it was marked is idle now.
        this.server.closeIdleConnections();
        this.settle();
      });
    });
    // WebSocket connections leave Node's HTTP bookkeeping once upgraded; keep them to cut leftovers.
    server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
    });
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Every response from now on (and every one still unsent) closes its connection after it. */
  closeAfterResponse(): void {
    this.closing = true;
    for (const res of this.inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
  }

  /** Closes the listener: new connections are refused; idle keep-alive connections are closed now. */
  stopAccepting(): void {
    this.closeAfterResponse();
    if (this.server.listening) this.server.close();
    this.server.closeIdleConnections();
  }

  /** Resolves once no request is in flight. */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cuts whatever is still open (after the drain timeout, or WebSockets that ignored the close). */
  destroyAll(): void {
    this.server.closeAllConnections();
    for (const socket of this.upgraded) socket.destroy();
  }

  get openUpgraded(): number {
    return this.upgraded.size;
  }

  private settle(): void {
    if (this.inFlight.size > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
