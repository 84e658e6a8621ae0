import { INestApplicationContext, Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import type Redis from 'ioredis';
import { EnvironmentVariables } from '../../config/env';
import { RedisService } from '../redis/redis.service';

type IoServer = ReturnType<IoAdapter['createIOServer']>;
type IoServerOptions = Parameters<IoAdapter['createIOServer']>[1];

/**
 * Socket.IO on the app's HTTP server, fanned out between nodes through Redis. Channels are
 * namespaced with REDIS_KEY_PREFIX so deployments and test suites sharing a Redis never cross-talk.
 *
 * `sharded` (default, Redis 7): SPUBLISH/SSUBSCRIBE with one channel per room, so a node only
 * receives traffic for rooms it has sockets in. `classic`: the PUBLISH/PSUBSCRIBE adapter.
 *
 * While Redis is away, broadcasts still reach this node's sockets; other nodes miss them (the
 * adapter has no replay), and clients resync with `GET /planets/:id/messages?after=`. Adapter
 * errors are logged by RedisService's handlers, never thrown.
 */
export class RedisIoAdapter extends IoAdapter {
  private readonly log = new Logger('SocketAdapter');
  private readonly pub: Redis;
  private readonly sub: Redis;

  constructor(
    app: INestApplicationContext,
    redis: RedisService,
    private readonly env: EnvironmentVariables,
  ) {
    super(app);
    // Named with the key prefix so an operator (or a test) can tell deployments' connections apart.
    const tag = env.REDIS_KEY_PREFIX.replace(/[^\w:.-]/g, '_');
    this.pub = redis.duplicate(`socket-pub:${tag}`);
    this.sub = redis.duplicate(`socket-sub:${tag}`);
  }

  // Typed through IoAdapter: @nestjs/platform-socket.io pins its own socket.io copy (same 4.8 API).
  override createIOServer(port: number, options?: IoServerOptions): IoServer {
    const server = super.createIOServer(port, {
      ...options,
      maxHttpBufferSize: this.env.SOCKET_MAX_PAYLOAD_BYTES,
      cors: { origin: true },
    } as IoServerOptions);
    const key = `${this.env.REDIS_KEY_PREFIX}socket.io`;
    const adapter =
      this.env.SOCKET_ADAPTER === 'sharded'
        ? createShardedAdapter(this.pub, this.sub, { channelPrefix: key, subscriptionMode: 'dynamic' })
        : createAdapter(this.pub, this.sub, { key });
    server.adapter(adapter as unknown as Parameters<IoServer['adapter']>[0]);
    server.of('/').adapter.on('error', (err: Error) => this.log.warn(`socket.io adapter error: ${err.message}`));
    return server;
  }
}
