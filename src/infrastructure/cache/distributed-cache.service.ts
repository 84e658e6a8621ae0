import { Injectable, Logger, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Metrics } from '../metrics/metrics.service';
import { RedisService } from '../redis/redis.service';
import { CacheRegistry } from './cache-registry';

/** Hit/miss counters since start, per process (tests read them; nothing exports them yet). */
export interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
  invalidations: number;
}

/**
 * Cache-aside on Redis with namespaced keys (`<prefix>cache:<namespace>:v<gen>:<key>`).
 * Invalidating a namespace bumps its generation counter: one INCR, no KEYS/SCAN on the hot path;
 * old entries simply expire. A Redis failure never fails a read: the loader runs instead.
 * Concurrent misses of one key share one load (per process).
 */
@Injectable()
export class DistributedCacheService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Cache');
  private readonly inflight = new Map<string, Promise<unknown>>();
  readonly stats: CacheStats = { hits: 0, misses: 0, errors: 0, invalidations: 0 };

  constructor(
    private readonly redis: RedisService,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  onModuleInit(): void {
    CacheRegistry.use(this);
  }

  onModuleDestroy(): void {
    CacheRegistry.release(this);
  }

  static keyOf(parts: unknown[]): string {
    const raw = JSON.stringify(parts);
    return raw.length <= 64 ? raw : createHash('sha1').update(raw).digest('base64url');
  }

  private async generation(namespace: string): Promise<string> {
    return (await this.redis.client.get(`cache:gen:${namespace}`)) ?? '0';
  }

  /** The cached value of `namespace:key`, or the loader's result stored for `ttlSeconds`. */
  async getOrLoad<T>(namespace: string, key: string, ttlSeconds: number, loader: () => Promise<T>): Promise<T> {
    let fullKey: string;
    try {
      fullKey = `cache:${namespace}:v${await this.generation(namespace)}:${key}`;
      const hit = await this.redis.client.get(fullKey);
      if (hit !== null) {
        this.stats.hits++;
        this.metrics?.series.cacheHits.inc({ namespace, tier: 'redis' });
        return JSON.parse(hit) as T;
      }
    } catch (err) {
      this.stats.errors++;
      this.metrics?.series.cacheErrors.inc({ namespace });
      this.logger.warn(`cache read failed for ${namespace}: ${(err as Error).message}`);
      return loader();
    }
    this.stats.misses++;
    this.metrics?.series.cacheMisses.inc({ namespace });
    const pending = this.inflight.get(fullKey);
    if (pending) return pending as Promise<T>;
    const load = (async () => {
      try {
        const value = await loader();
        if (value !== undefined) {
          await this.redis.client.set(fullKey, JSON.stringify(value), 'EX', ttlSeconds).catch((err: Error) => {
            this.stats.errors++;
            this.metrics?.series.cacheErrors.inc({ namespace });
            this.logger.warn(`cache write failed for ${namespace}: ${err.message}`);
          });
        }
        return value;
      } finally {
        this.inflight.delete(fullKey);
      }
    })();
    this.inflight.set(fullKey, load);
    return load;
  }

  /** Drops every entry of `namespace` (on all nodes: the generation lives in Redis). */
  async invalidate(namespace: string): Promise<void> {
    this.stats.invalidations++;
    this.metrics?.series.cacheInvalidations.inc({ namespace });
    try {
      await this.redis.client.incr(`cache:gen:${namespace}`);
    } catch (err) {
      this.stats.errors++;
      this.metrics?.series.cacheErrors.inc({ namespace });
      this.logger.warn(`cache invalidation failed for ${namespace}: ${(err as Error).message}`);
    }
  }

}
