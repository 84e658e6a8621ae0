import type { Server, Socket } from 'socket.io';

/** What `server:shutdown` carries (API.md-style contract for clients; see the README). */
export interface ServerShutdownNotice {
  /** Always true: connect again (the load balancer sends you to another node) and resync with `after`. */
  reconnect: true;
  message: string;
  /** The connection is closed within this many milliseconds at most (once the events in flight are acked). */
  closesWithinMs: number;
}

export const SHUTDOWN_EVENT = 'server:shutdown';

/**
 * The socket side of a drain. Counts events that carry an ack from arrival until the ack is
 * called (so "idle" means every acked event has its answer written). `announce()` emits
 * `server:shutdown` to this node's sockets and from then on answers new events with a 503 error
 * ack at once (the client retries them, with the same clientId, after reconnecting elsewhere);
 * `close()` closes each connection at the transport level once its buffered packets (acks) are
 * written, which Socket.IO clients treat as "transport close" and reconnect by themselves.
 */
export class SocketDrain {
  private pendingAcks = 0;
  private announced?: ServerShutdownNotice;
  private waiters: (() => void)[] = [];

  constructor(private readonly io: Server) {
    io.on('connection', (socket: Socket) => {
      const outstanding = new Set<object>();
      socket.use((packet, next) => {
        const last = packet.length - 1;
        const ack = packet[last] as unknown;
        if (typeof ack !== 'function') return next();
        if (this.announced) {
          (ack as (res: unknown) => void)({
            ok: false,
            error: {
              statusCode: 503,
              error: 'Service Unavailable',
              message: 'Server is shutting down: reconnect and retry',
              retryAfter: 0,
            },
          });
          return;
        }
        const token = {};
        outstanding.add(token);
        this.pendingAcks += 1;
        packet[last] = (...args: unknown[]) => {
          if (outstanding.delete(token)) {
            this.pendingAcks -= 1;
            this.settle();
          }
          return (ack as (...a: unknown[]) => unknown)(...args);
        };
        next();
      });
      // A socket that went away will never get its acks: stop waiting for them.
      socket.once('disconnect', () => {
        this.pendingAcks -= outstanding.size;
        outstanding.clear();
        this.settle();
      });
      // Connected while the node was already draining (a handshake that was under way).
      if (this.announced) socket.emit(SHUTDOWN_EVENT, this.announced);
    });
  }

  get pending(): number {
    return this.pendingAcks;
  }

  get connected(): number {
    return this.io.of('/').sockets.size;
  }

  /** Tells this node's sockets (only these: `local`, not through the Redis adapter) to reconnect elsewhere. */
  announce(closesWithinMs: number): void {
    this.announced = { reconnect: true, message: 'Server is shutting down: reconnect', closesWithinMs };
    this.io.local.emit(SHUTDOWN_EVENT, this.announced);
  }

  /** Resolves once every acked event in flight has its ack (or its socket is gone). */
  idle(): Promise<void> {
    if (this.pendingAcks === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Closes every local connection after its buffered packets are written. A long-polling connection
   * is closed with `discard`: it still gets the close packet when a poll is pending, but otherwise
   * it ends now instead of waiting (with a 30 s timer and its ping timer) for a poll that will not
   * come, since the listener is already closed.
   */
  close(): void {
    for (const socket of this.io.of('/').sockets.values()) socket.conn.close(socket.conn.transport.name === 'polling');
  }

  private settle(): void {
    if (this.pendingAcks > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
