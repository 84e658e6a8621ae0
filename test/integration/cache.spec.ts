import { CacheRegistry } from '../../src/infrastructure/cache/cache-registry';
import { CacheResult } from '../../src/infrastructure/cache/cache-result.decorator';
import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { testEnv, uniqueName } from '../helpers/test-db';

let loads = 0;

class Catalog {
  @CacheResult(60, 'test.catalog')
  static async top(limit: number): Promise<{ ids: number[] }> {
    loads++;
    return { ids: Array.from({ length: limit }, (_, i) => i + loads * 100) };
  }
}

describe('DistributedCacheService and @CacheResult on real Redis', () => {
  let redis: RedisService;
  let cache: DistributedCacheService;

  beforeAll(async () => {
    redis = new RedisService(testEnv({ REDIS_KEY_PREFIX: `test:${uniqueName('cache')}:` }));
    await redis.connect();
    cache = new DistributedCacheService(redis);
    cache.onModuleInit();
  });
  afterAll(async () => {
    cache.onModuleDestroy();
    await redis.onApplicationShutdown();
  });
  beforeEach(() => {
    loads = 0;
  });

  it('loads once, then serves hits from Redis', async () => {
    await cache.invalidate('test.catalog');
    const first = await Catalog.top(3);
    const second = await Catalog.top(3);
    expect(second).toEqual(first);
    expect(loads).toBe(1);
    expect(cache.stats.hits).toBeGreaterThanOrEqual(1);
  });

  it('keys by arguments', async () => {
    await cache.invalidate('test.catalog');
    await Catalog.top(2);
    await Catalog.top(4);
    expect(loads).toBe(2);
  });

  it('reloads after the namespace is invalidated', async () => {
    await cache.invalidate('test.catalog');
    const before = await Catalog.top(1);
    await cache.invalidate('test.catalog');
    const after = await Catalog.top(1);
    expect(loads).toBe(2);
    expect(after).not.toEqual(before);
  });

  it('shares one load between concurrent misses', async () => {
    await cache.invalidate('test.catalog');
    const results = await Promise.all(Array.from({ length: 10 }, () => Catalog.top(5)));
    expect(loads).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('sets a TTL on entries', async () => {
    await cache.invalidate('test.catalog');
    await Catalog.top(7);
    const gen = await redis.client.get('cache:gen:test.catalog');
    const ttl = await redis.client.ttl(`cache:test.catalog:v${gen}:${DistributedCacheService.keyOf([7])}`);
    expect(ttl).toBeGreaterThan(50);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('runs the method directly when no cache is registered', async () => {
    cache.onModuleDestroy();
    try {
      await Catalog.top(1);
      await Catalog.top(1);
      expect(loads).toBe(2);
    } finally {
      CacheRegistry.use(cache);
    }
  });

  it('fails the boot with one readable line naming Redis and its address', async () => {
    const deadRedis = new RedisService(testEnv({ REDIS_PORT: '1', REDIS_KEY_PREFIX: 'test:dead:' }));
    await expect(deadRedis.connect()).rejects.toThrow(/^Redis is not reachable at 127\.0\.0\.1:1 .*redis-server/);
    await deadRedis.onApplicationShutdown();
  });

  it('falls back to the loader when Redis is unreachable after boot', async () => {
    const deadRedis = new RedisService(testEnv({ REDIS_PORT: '1', REDIS_KEY_PREFIX: 'test:dead:' }));
    const deadCache = new DistributedCacheService(deadRedis);
    const value = await deadCache.getOrLoad('ns', 'k', 10, async () => 'fresh');
    expect(value).toBe('fresh');
    expect(deadCache.stats.errors).toBe(1);
    await deadRedis.onApplicationShutdown();
  });
});
