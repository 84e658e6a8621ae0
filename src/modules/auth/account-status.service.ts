import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppException } from '../../common/errors/app.exception';
import { EnvironmentVariables } from '../../config/env';
import { RedisService } from '../../infrastructure/redis/redis.service';
import { User } from '../user/user.entity';

/** Live-account entries kept per node before the map is cleared (a bound on memory, not a policy). */
const MAX_TRACKED = 100_000;

/**
 * Whether the account behind a valid access token still exists. A deleted account's tokens stop
 * working at once, over REST and sockets, without a database round trip per request:
 * - each node remembers accounts it found live for ACCOUNT_STATUS_TTL_MS, and deleted ones for good;
 * - a deletion through the API is published on Redis before the request is answered, and every
 *   node forgets that account and disconnects its sockets (`onRevoked` listeners);
 * - a deletion the API did not make (SQL by hand), or one published while a node was cut off from
 *   Redis, is seen within ACCOUNT_STATUS_TTL_MS.
 */
@Injectable()
export class AccountStatusService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AccountStatus');
  private readonly liveSince = new Map<number, number>();
  private readonly deleted = new Set<number>();
  private readonly listeners = new Set<(userId: number) => void>();
  private readonly channel: string;
  private readonly ttlMs: number;
  private sub?: Redis;

  constructor(
    private readonly redis: RedisService,
    env: EnvironmentVariables,
  ) {
    this.channel = `${env.REDIS_KEY_PREFIX}account:revoked`;
    this.ttlMs = env.ACCOUNT_STATUS_TTL_MS;
  }

  onModuleInit(): void {
    this.sub = this.redis.duplicate('account-status-sub', { maxRetriesPerRequest: null });
    this.sub.on('message', (channel: string, message: string) => {
      const userId = Number(message);
      if (channel === this.channel && Number.isInteger(userId)) this.markDeleted(userId);
    });
    // Resubscribed by ioredis after every reconnect; a failure here only means TTL-bound checks.
    this.sub.subscribe(this.channel).catch((err: Error) => this.logger.warn(`cannot subscribe to account revocations: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.listeners.clear();
  }

  /** Throws 401 when the account no longer exists. */
  async assertLive(userId: number): Promise<void> {
    if (this.deleted.has(userId)) throw AppException.unauthorized('The account of this token no longer exists');
    const since = this.liveSince.get(userId);
    if (since !== undefined && Date.now() - since < this.ttlMs) return;
    if (!(await User.isLive(userId))) {
      this.markDeleted(userId);
      throw AppException.unauthorized('The account of this token no longer exists');
    }
    if (this.liveSince.size >= MAX_TRACKED) this.liveSince.clear();
    this.liveSince.set(userId, Date.now());
  }

  /** After an account was deleted: every node refuses its tokens and closes its sockets. */
  async revoke(userId: number): Promise<void> {
    this.markDeleted(userId);
    await this.redis.client.publish(this.channel, String(userId)).catch((err: Error) => {
      this.logger.warn(`account ${userId} revoked on this node only (Redis: ${err.message}); other nodes see it within ${this.ttlMs} ms`);
    });
  }

  /** Runs `listener(userId)` whenever an account is found or announced deleted on this node. */
  onRevoked(listener: (userId: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private markDeleted(userId: number): void {
    this.liveSince.delete(userId);
    if (this.deleted.has(userId)) return;
    if (this.deleted.size >= MAX_TRACKED) this.deleted.clear();
    this.deleted.add(userId);
    for (const listener of this.listeners) listener(userId);
  }
}
