import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { EnvironmentVariables } from '../../config/env';
import type { LifecycleService } from '../lifecycle/lifecycle.service';
import { RedisService } from '../redis/redis.service';

type IoServer = ReturnType<IoAdapter['createIOServer']>;
type IoServerOptions = Parameters<IoAdapter['createIOServer']>[1];

/** The commands @socket.io/redis-adapter sends without handling a rejection. */
const SUB_COMMANDS = ['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe'] as const;
const PUB_COMMANDS = ['publish', 'spublish'] as const;

/** The Engine.IO session cookie the balancer's stick table learns (see createIOServer). */
export const SOCKET_SID_COOKIE = 'io';

type Resync = () => void;
const resyncListeners = new WeakMap<object, Set<Resync>>();

/**
 * Calls `listener` each time the adapter's subscriber connection is ready again after it was down
 * (broadcasts of other nodes, such as socketsJoin/socketsLeave, may have been lost meanwhile).
 * Returns the unsubscribe function. A no-op for a server without the Redis adapter.
 */
export function onAdapterResync(server: object, listener: Resync): () => void {
  let set = resyncListeners.get(server);
  if (!set) resyncListeners.set(server, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/**
 * Socket.IO on the app's HTTP server, fanned out between nodes through Redis. Channels are
 * namespaced with REDIS_KEY_PREFIX so deployments and test suites sharing a Redis never cross-talk.
 *
 * `sharded` (default, Redis 7): SPUBLISH/SSUBSCRIBE with one channel per room, so a node only
 * receives traffic for rooms it has sockets in. `classic`: the PUBLISH/PSUBSCRIBE adapter.
 *
 * While Redis is away, broadcasts still reach this node's sockets; other nodes miss them (the
 * adapter has no replay), and clients resync with `GET /planets/:id/messages?after=`.
 *
 * The adapter fires its Redis commands without `.catch` (SSUBSCRIBE on every room created,
 * PUBLISH on every broadcast): with Redis down, each would reject unhandled and end the process.
 * So every such command of the pub and sub connections is guarded here: a failure resolves
 * (logged once per outage) instead of rejecting. The sub connection has no retry limit, so
 * (un)subscriptions made during an outage wait in ioredis' offline queue and run, in order, after
 * the subscriptions it restores by itself on reconnect; then `onAdapterResync` listeners run.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly log = new Logger('SocketAdapter');
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    redis: RedisService,
    private readonly env: EnvironmentVariables,
    private readonly lifecycle?: LifecycleService,
  ) {
    super(app);
    // Named with the key prefix so an operator (or a test) can tell deployments' connections apart.
    const tag = env.REDIS_KEY_PREFIX.replace(/[^\w:.-]/g, '_');
    this.pub = redis.duplicate(`socket-pub:${tag}`);
    this.sub = redis.duplicate(`socket-sub:${tag}`, { maxRetriesPerRequest: null });
    this.guard(this.pub, 'pub', PUB_COMMANDS, true);
    this.guard(this.sub, 'sub', SUB_COMMANDS, false);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io pins its own socket.io copy (same 4.8 API).
  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: this.env.SOCKET_MAX_PAYLOAD_BYTES,
      cors: { origin: true },
      // The Engine.IO handshake answers with `Set-Cookie: io=<sid>`, so a load balancer can learn
      // which node owns a session and route its later polling requests (`?sid=`) and the WebSocket
      // upgrade there, whatever the client does with cookies (deploy/haproxy/haproxy.cfg).
      cookie: { name: SOCKET_SID_COOKIE, path: '/', httpOnly: true, sameSite: 'lax' },
    } as IoServerOptions);
    const key = `${this.env.REDIS_KEY_PREFIX}socket.io`;
    const adapter =
      this.env.SOCKET_ADAPTER === 'sharded'
        ? createShardedAdapter(this.pub, this.sub, { channelPrefix: key, subscriptionMode: 'dynamic' })
        : createAdapter(this.pub, this.sub, { key });
    server.adapter(adapter as unknown as Parameters<IoServer['adapter']>[0]);
    server.of('/').adapter.on('error', (err: Error) => this.log.warn(`socket.io adapter error: ${err.message}`));
    this.watchResync(server);
    // Drained at shutdown: acks in flight are awaited, sockets told to reconnect elsewhere.
    this.lifecycle?.attachSocketServer(server as unknown as Parameters<LifecycleService['attachSocketServer']>[0]);
    return server;
  }

  /** Runs the server's resync listeners when the sub connection is ready after having been lost. */
  private watchResync(server: object): void {
    let lost = false;
    this.sub.on('close', () => {
      lost = true;
    });
    this.sub.on('ready', () => {
      if (!lost) return;
      lost = false;
      for (const listener of resyncListeners.get(server) ?? []) {
        try {
          listener();
        } catch (err) {
          this.log.error(`socket resync failed: ${(err as Error).message}`);
        }
      }
    });
  }

  /**
   * Makes `commands` of `client` resolve (to undefined) on failure, logging once until the
   * connection is ready again. With `skipWhenDown`, a command is not even queued while the
   * connection is not ready: the sharded adapter awaits SPUBLISH before delivering to this node's
   * own sockets, which would otherwise wait out ioredis' retries (seconds) for every broadcast.
   */
  private guard(client: Redis, role: string, commands: readonly string[], skipWhenDown: boolean): void {
    let reported = false;
    let lost = false; // closed since it was last ready (the first, lazy, connect is not an outage)
    client.on('close', () => {
      lost = true;
    });
    client.on('ready', () => {
      reported = false;
      lost = false;
    });
    const report = (name: string, reason: string) => {
      if (reported) return;
      reported = true;
      this.log.warn(`socket.io ${role} ${name} failed (Redis unavailable?), continuing without cross-node fan-out: ${reason}`);
    };
    const target = client as unknown as Record<string, unknown>;
    for (const name of commands) {
      const original = target[name];
      if (typeof original !== 'function') continue;
      target[name] = (...args: unknown[]): Promise<unknown> => {
        if (skipWhenDown && lost) {
          report(name, `connection ${client.status}`);
          return Promise.resolve(undefined);
        }
        let result: unknown;
        try {
          result = (original as (...a: unknown[]) => unknown).apply(client, args);
        } catch (err) {
          result = Promise.reject(err instanceof Error ? err : new Error(String(err)));
        }
        return Promise.resolve(result).catch((err: unknown) => {
          report(name, (err as Error)?.message ?? String(err));
          return undefined;
        });
      };
    }
  }
}
