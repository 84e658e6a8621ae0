import { io, Socket } from 'socket.io-client';

export type ClientSocket = Socket;

/** A socket.io-client connection as the web client opens it; resolves on connect, rejects with connect_error. */
export function connectSocket(url: string, token: string | undefined, opts: { timeoutMs?: number } = {}): Promise<ClientSocket> {
  const socket = io(url, { auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('socket connect timed out'));
    }, opts.timeoutMs ?? 5000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      clearTimeout(timer);
      socket.close();
      reject(err);
    });
  });
}

/** Emits with an acknowledgement and resolves with the ack. */
export function emitAck<T = unknown>(socket: ClientSocket, event: string, payload: unknown, timeoutMs = 5000): Promise<T> {
  return socket.timeout(timeoutMs).emitWithAck(event, payload) as Promise<T>;
}

/** Records every event a socket receives, to await or to assert absence. */
export class SocketRecorder {
  readonly events: { event: string; payload: unknown }[] = [];
  private waiters: { event: string; match: (p: unknown) => boolean; resolve: (p: unknown) => void }[] = [];

  constructor(readonly socket: ClientSocket) {
    socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      this.waiters = this.waiters.filter((w) => {
        if (w.event !== event || !w.match(payload)) return true;
        w.resolve(payload);
        return false;
      });
    });
  }

  /** The first (past or future) `event` whose payload matches. */
  next<T = unknown>(event: string, match: (p: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    const seen = this.events.find((e) => e.event === event && match(e.payload as T));
    if (seen) return Promise.resolve(seen.payload as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        event,
        match: (p) => match(p as T),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p as T);
        },
      });
    });
  }

  of<T = unknown>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => e.payload as T);
  }

  clear(): void {
    this.events.length = 0;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
