import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';
import { BootError, HOW_TO_START } from '../../common/errors/boot.error';
import { EnvironmentVariables } from '../../config/env';

/**
 * The app's Redis connections. `client` is the shared command connection (keys are prefixed with
 * REDIS_KEY_PREFIX); `duplicate()` gives dedicated connections (pub/sub, blocking commands), all
 * closed at shutdown. After boot, connections reconnect by themselves and never crash the app.
 */
@Injectable()
export class RedisService implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly clients: Redis[] = [];
  readonly client: Redis;
  readonly prefix: string;

  constructor(private readonly env: EnvironmentVariables) {
    this.prefix = env.REDIS_KEY_PREFIX;
    this.client = this.create('main', { keyPrefix: env.REDIS_KEY_PREFIX });
  }

  get address(): string {
    return `${this.env.REDIS_HOST}:${this.env.REDIS_PORT}`;
  }

  private baseOptions(): RedisOptions {
    return {
      host: this.env.REDIS_HOST,
      port: this.env.REDIS_PORT,
      password: this.env.REDIS_PASSWORD || undefined,
      db: this.env.REDIS_DB,
      lazyConnect: true,
      connectTimeout: 5000,
      maxRetriesPerRequest: 2,
      retryStrategy: (times) => Math.min(times * 200, 5000),
    };
  }

  /**
   * A new connection without key prefix (for pub/sub and adapters that manage their own keys).
   * `extra` overrides connection options, e.g. `maxRetriesPerRequest: null` for a subscriber whose
   * (un)subscribe commands should wait for Redis to come back instead of failing.
   */
  duplicate(name: string, extra: Pick<RedisOptions, 'maxRetriesPerRequest'> = {}): Redis {
    return this.create(name, extra);
  }

  private create(name: string, extra: RedisOptions): Redis {
    const client = new Redis({ ...this.baseOptions(), ...extra, connectionName: `connecto-${name}` });
    let reported = false;
    client.on('error', (err: Error) => {
      if (!reported) this.logger.warn(`redis ${name} connection error at ${this.address}: ${err.message}`);
      reported = true;
    });
    client.on('ready', () => {
      if (reported) this.logger.log(`redis ${name} reconnected`);
      reported = false;
    });
    this.clients.push(client);
    return client;
  }

  /** Connects the main client at boot; fails with one readable line when Redis is not there. */
  async connect(): Promise<void> {
    try {
      await this.client.connect();
      await this.client.ping();
    } catch (err) {
      this.client.disconnect();
      throw new BootError(`Redis is not reachable at ${this.address} (${(err as Error).message}): ${HOW_TO_START.redis}`);
    }
  }

  async ping(timeoutMs = 1000): Promise<boolean> {
    if (this.client.status !== 'ready') return false;
    const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    return Promise.race([
      this.client
        .ping()
        .then((r) => r === 'PONG')
        .catch(() => false),
      timeout,
    ]);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(
      this.clients.map(async (c) => {
        if (c.status === 'ready') await c.quit().catch(() => c.disconnect());
        else c.disconnect();
      }),
    );
  }
}
