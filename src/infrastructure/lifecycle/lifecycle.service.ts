import { Injectable, Logger } from '@nestjs/common';
import type { Server as HttpServer } from 'node:http';
import type { Server as IoServer } from 'socket.io';
import { HttpDrain } from './http-drain';
import { SocketDrain } from './socket-drain';

export interface DrainOptions {
  /** Readiness is 503 but the listener still accepts for this long (ms): the load balancer's turn. */
  delayMs: number;
  /** How long (ms) in-flight requests and acked socket events get to finish. */
  timeoutMs: number;
}

export interface DrainReport {
  /** True when nothing was left in flight within the timeout. */
  drained: boolean;
  httpLeft: number;
  socketAcksLeft: number;
  /** Socket.IO connections still open once the sockets were closed (0 unless one would not close). */
  socketsLeft: number;
  ms: number;
}

/**
 * Sockets stay open at least this long after `server:shutdown`, so an event a client sent before
 * the notice reached it (one round trip) still gets its 503 ack instead of vanishing.
 */
export const SOCKET_NOTICE_GRACE_MS = 250;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The node's shutdown state and the drain that precedes `app.close()` (see graceful-shutdown.ts):
 * readiness turns 503 at once (`draining`), then the listener closes, sockets are told to move,
 * in-flight HTTP requests and acked socket events finish, and sockets are closed. The close hooks
 * that follow flush read receipts before the DataSource is destroyed.
 */
@Injectable()
export class LifecycleService {
  private readonly logger = new Logger('Shutdown');
  private http?: HttpDrain;
  private sockets?: SocketDrain;
  private drainingSince?: number;

  /** True from the first shutdown signal on: /health/ready answers 503. */
  get draining(): boolean {
    return this.drainingSince !== undefined;
  }

  attachHttpServer(server: HttpServer): void {
    this.http ??= new HttpDrain(server);
  }

  attachSocketServer(server: IoServer): void {
    this.sockets ??= new SocketDrain(server);
  }

  async drain(opts: DrainOptions): Promise<DrainReport> {
    const started = Date.now();
    this.drainingSince = started;
    this.http?.closeAfterResponse();
    this.logger.log(`draining: readiness is 503; listener closes in ${opts.delayMs} ms; in-flight work gets ${opts.timeoutMs} ms`);
    if (opts.delayMs > 0) await sleep(opts.delayMs);

    this.http?.stopAccepting();
    this.sockets?.announce(opts.timeoutMs);
    const noticeAt = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.all([this.http?.idle(), this.sockets?.idle()]).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), opts.timeoutMs))),
    ]);
    clearTimeout(timer);
    const httpLeft = this.http?.pending ?? 0;
    const socketAcksLeft = this.sockets?.pending ?? 0;
    const ms = Date.now() - started;
    if (!drained)
      this.logger.warn(`drain timeout: ${httpLeft} HTTP requests and ${socketAcksLeft} socket acks still pending; closing anyway`);

    const grace = noticeAt + Math.min(SOCKET_NOTICE_GRACE_MS, opts.timeoutMs) - Date.now();
    if (grace > 0) await sleep(grace);
    this.sockets?.close();
    await this.waitForWebSockets(Math.min(1000, opts.timeoutMs));
    if (!drained) this.http?.destroyAll();
    return { drained, httpLeft, socketAcksLeft, socketsLeft: this.sockets?.connected ?? 0, ms };
  }

  /** Gives closed WebSockets a moment for the close handshake, then cuts what is left. */
  private async waitForWebSockets(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while ((this.http?.openUpgraded ?? 0) > 0 && Date.now() < until) await sleep(20);
    if ((this.http?.openUpgraded ?? 0) > 0) this.http?.destroyAll();
  }
}
