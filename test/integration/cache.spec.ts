import { Logger } from '@nestjs/common';
import { CacheRegistry } from '../../src/infrastructure/cache/cache-registry';
import { CacheResult } from '../../src/infrastructure/cache/cache-result.decorator';
import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { PrivateRedis } from '../helpers/redis-server';
import { sleep } from '../helpers/socket';
import { testEnv, uniqueName } from '../helpers/test-db';

let loads = 0;

class Catalog {
  @CacheResult(60, 'test.catalog')
  static async top(limit: number): Promise<{ ids: number[] }> {
    loads++;
    return { ids: Array.from({ length: limit }, (_, i) => i + loads * 100) };
  }

  @CacheResult<[number]>(60, { namespace: 'test.tagged', tags: (id) => [`item:${id}`] })
  static async item(id: number): Promise<{ id: number; version: number }> {
    loads++;
    return { id, version: loads };
  }

  @CacheResult<[string]>(60, { namespace: 'test.shapes' })
  static async shapes(_which: string): Promise<unknown> {
    loads++;
    return {
      at: new Date('2026-01-02T03:04:05.678Z'),
      nested: [{ when: new Date(0), id: '9007199254740993' }],
      big: 12345678901234567890n,
      nothing: null,
      list: [1, 'two', true],
    };
  }
}

/** A cache node of its own (L1, bus connection) on a Redis prefix shared with the others. */
async function node(env: Record<string, string>): Promise<{ redis: RedisService; cache: DistributedCacheService }> {
  const e = testEnv(env);
  const redis = new RedisService(e);
  await redis.connect();
  const cache = new DistributedCacheService(redis, undefined, e);
  await cache.onModuleInit();
  CacheRegistry.release(cache);
  return { redis, cache };
}

async function closeNode(n: { redis: RedisService; cache: DistributedCacheService } | undefined): Promise<void> {
  if (!n) return;
  n.cache.onModuleDestroy();
  n.cache.onApplicationShutdown();
  await n.redis.onApplicationShutdown();
}

describe('DistributedCacheService and @CacheResult on real Redis', () => {
  const prefix = `test:${uniqueName('cache')}:`;
  let a: Awaited<ReturnType<typeof node>>;
  let b: Awaited<ReturnType<typeof node>>;

  beforeAll(async () => {
    a = await node({ REDIS_KEY_PREFIX: prefix });
    b = await node({ REDIS_KEY_PREFIX: prefix });
    CacheRegistry.use(a.cache);
  });
  afterAll(async () => {
    await closeNode(a);
    await closeNode(b);
  });
  beforeEach(() => {
    loads = 0;
  });

  it('loads once, then serves hits from L1', async () => {
    await a.cache.invalidate('test.catalog');
    const first = await Catalog.top(3);
    const l1Before = a.cache.stats.l1Hits;
    const second = await Catalog.top(3);
    expect(second).toEqual(first);
    expect(loads).toBe(1);
    expect(a.cache.stats.l1Hits - l1Before).toBe(1);
  });

  it('keys by arguments', async () => {
    await a.cache.invalidate('test.catalog');
    await Catalog.top(2);
    await Catalog.top(4);
    expect(loads).toBe(2);
  });

  it('reloads after the namespace is invalidated', async () => {
    await a.cache.invalidate('test.catalog');
    const before = await Catalog.top(1);
    await a.cache.invalidate('test.catalog');
    const after = await Catalog.top(1);
    expect(loads).toBe(2);
    expect(after).not.toEqual(before);
  });

  it('runs 200 concurrent misses of one cold key as one load', async () => {
    await a.cache.invalidate('test.catalog');
    const results = await Promise.all(Array.from({ length: 200 }, () => Catalog.top(5)));
    expect(loads).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('round-trips dates, bigints, string ids and nulls exactly: a hit equals a miss', async () => {
    await a.cache.invalidate('test.shapes');
    const miss = (await Catalog.shapes('x')) as Record<string, unknown>;
    const hitL1 = await Catalog.shapes('x');
    CacheRegistry.use(b.cache);
    try {
      const hitL2 = await Catalog.shapes('x');
      expect(b.cache.stats.l2Hits).toBeGreaterThanOrEqual(1);
      expect(hitL2).toStrictEqual(miss);
    } finally {
      CacheRegistry.use(a.cache);
    }
    expect(loads).toBe(1);
    expect(hitL1).toStrictEqual(miss);
    expect(miss.at).toBeInstanceOf(Date);
    expect((miss.at as Date).toISOString()).toBe('2026-01-02T03:04:05.678Z');
    expect(miss.big).toBe(12345678901234567890n);
    expect((miss.nested as { id: string }[])[0].id).toBe('9007199254740993');
  });

  it('hands out copies: mutating a result does not change the cached value', async () => {
    await a.cache.invalidate('test.catalog');
    const first = await Catalog.top(2);
    first.ids.push(999);
    expect((await Catalog.top(2)).ids).toHaveLength(2);
  });

  it('a second node reads from L2, and an invalidation by tag on one node drops the other node L1 at once', async () => {
    await a.cache.invalidateTags(['item:7']);
    const onA = await Catalog.item(7);
    CacheRegistry.use(b.cache);
    try {
      expect(await Catalog.item(7)).toEqual(onA);
      expect(loads).toBe(1);
      expect(b.cache.hasInL1('test.tagged', DistributedCacheService.keyOf('Catalog.item', [7]))).toBe(true);
      await a.cache.invalidateTags(['item:7']);
      // invalidateTags resolves only once node b confirmed on the bus that its L1 copy is gone.
      expect(b.cache.hasInL1('test.tagged', DistributedCacheService.keyOf('Catalog.item', [7]))).toBe(false);
      const reloaded = await Catalog.item(7);
      expect(reloaded.version).toBe(2);
      expect(loads).toBe(2);
    } finally {
      CacheRegistry.use(a.cache);
    }
  });

  it('keys name the namespace, the method and a stable hash of the arguments', () => {
    expect(DistributedCacheService.keyOf('Catalog.top', [{ a: 1, b: 2 }])).toBe(
      DistributedCacheService.keyOf('Catalog.top', [{ b: 2, a: 1 }]),
    );
    expect(DistributedCacheService.keyOf('Catalog.top', [1])).not.toBe(DistributedCacheService.keyOf('Catalog.top', [2]));
    expect(DistributedCacheService.keyOf('Catalog.top', [1])).toMatch(/^Catalog\.top:[A-Za-z0-9_-]{22}$/);
  });

  it('sets a jittered TTL (within ±10 %, plus grace) on Redis entries', async () => {
    await a.cache.invalidate('test.catalog');
    await Catalog.top(7);
    const ttl = await a.redis.client.pttl(`cache{c}:e:test.catalog:${DistributedCacheService.keyOf('Catalog.top', [7])}`);
    expect(ttl).toBeGreaterThan(53_000);
    expect(ttl).toBeLessThanOrEqual(66_000);
  });

  it('does not store a value whose load raced an invalidation of its tags', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = a.cache.getOrLoad('test.race', 'k', { ttlSeconds: 60, tags: ['race:1'] }, async () => {
      await gate;
      return 'old';
    });
    await sleep(20);
    await b.cache.invalidateTags(['race:1']);
    release();
    expect(await slow).toBe('old');
    expect(await a.cache.getOrLoad('test.race', 'k', { ttlSeconds: 60, tags: ['race:1'] }, async () => 'new')).toBe('new');
    expect(await b.cache.getOrLoad('test.race', 'k', { ttlSeconds: 60, tags: ['race:1'] }, async () => 'newer')).toBe('new');
  });

  it('does not hand a load started before an invalidation to a caller arriving after it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const opts = { ttlSeconds: 60, tags: ['race:2'] };
    const before = a.cache.getOrLoad('test.race2', 'k', opts, async () => {
      await gate;
      return 'read before the write';
    });
    await sleep(20);
    await b.cache.invalidateTags(['race:2']); // the write's invalidation, from the other node
    const after = a.cache.getOrLoad('test.race2', 'k', opts, async () => 'read after the write');
    release();
    expect(await before).toBe('read before the write');
    expect(await after).toBe('read after the write');
  });

  it('serves a stale value within grace when the loader fails, then not past grace', async () => {
    const opts = { ttlSeconds: 0.05, graceSeconds: 0.3, tags: [] };
    expect(await a.cache.getOrLoad('test.grace', 'k', opts, async () => 'v1')).toBe('v1');
    await sleep(80);
    const graceBefore = a.cache.stats.graceHits;
    expect(await a.cache.getOrLoad('test.grace', 'k', opts, () => Promise.reject(new Error('database down')))).toBe('v1');
    expect(a.cache.stats.graceHits - graceBefore).toBe(1);
    await sleep(400);
    await expect(a.cache.getOrLoad('test.grace', 'k', opts, () => Promise.reject(new Error('database down')))).rejects.toThrow(
      'database down',
    );
  });

  it('serves the stale value when the loader exceeds the soft timeout, and the load still refreshes the entry', async () => {
    const opts = { ttlSeconds: 0.05, graceSeconds: 60 };
    await a.cache.getOrLoad('test.soft', 'k', opts, async () => 'v1');
    await sleep(80);
    const started = Date.now();
    const value = await a.cache.getOrLoad('test.soft', 'k', { ttlSeconds: 60, graceSeconds: 60 }, async () => {
      await sleep(900);
      return 'v2';
    });
    expect(value).toBe('v1');
    expect(Date.now() - started).toBeLessThan(800);
    await sleep(1000);
    expect(await a.cache.getOrLoad('test.soft', 'k', { ttlSeconds: 60 }, async () => 'v3')).toBe('v2');
  });

  it('runs the method directly when no cache is registered', async () => {
    CacheRegistry.release(a.cache);
    try {
      await Catalog.top(1);
      await Catalog.top(1);
      expect(loads).toBe(2);
    } finally {
      CacheRegistry.use(a.cache);
    }
  });

  it('runs the method directly with CACHE_ENABLED=false', async () => {
    const off = await node({ REDIS_KEY_PREFIX: prefix, CACHE_ENABLED: 'false' });
    try {
      expect(await off.cache.getOrLoad('test.off', 'k', 60, async () => ++loads)).toBe(1);
      expect(await off.cache.getOrLoad('test.off', 'k', 60, async () => ++loads)).toBe(2);
    } finally {
      await closeNode(off);
    }
  });

  it('fails the boot with one readable line naming Redis and its address', async () => {
    const deadRedis = new RedisService(testEnv({ REDIS_PORT: '1', REDIS_KEY_PREFIX: 'test:dead:' }));
    await expect(deadRedis.connect()).rejects.toThrow(/^Redis is not reachable at 127\.0\.0\.1:1 .*redis-server/);
    await deadRedis.onApplicationShutdown();
  });
});

describe('the cache while Redis is away (a private redis-server)', () => {
  let redis: PrivateRedis;
  let a: Awaited<ReturnType<typeof node>> | undefined;
  let b: Awaited<ReturnType<typeof node>> | undefined;
  let warn: jest.SpyInstance;
  const until = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 300 && !check(); i++) await sleep(50);
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const opts = { ttlSeconds: 60, tags: ['member:1'] };

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    redis = await PrivateRedis.start();
    const env = { REDIS_PORT: String(redis.port), REDIS_KEY_PREFIX: 'test:outage:', CACHE_L1_OUTAGE_TTL_MS: '300' };
    a = await node(env);
    b = await node(env);
  });
  afterAll(async () => {
    warn.mockRestore();
    try {
      await redis.start();
      await closeNode(a);
      await closeNode(b);
    } finally {
      await redis.stop();
    }
  });

  it('keeps answering from the loader, serves L1 only within the outage bound, and warns once per node', async () => {
    let dbValue = 'member';
    const read = () => a!.cache.getOrLoad('outage', 'k', opts, async () => dbValue);
    expect(await read()).toBe('member');
    await redis.stop();
    await until('the connections to drop', () => a!.redis.client.status !== 'ready');
    // The removal happens on another node; its invalidation cannot reach node a.
    dbValue = 'removed';
    await b!.cache.invalidateTags(['member:1']);
    await sleep(350);
    const cacheWarnings = () =>
      warn.mock.calls.filter((c: unknown[]) => /^Redis or the cache bus is unavailable/.test(String(c[0]))).length;
    const started = Date.now();
    for (let i = 0; i < 20; i++) expect(await read()).toBe('removed');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(cacheWarnings()).toBe(2); // once per node, not once per request
  });

  it('recovers by itself: L1 cleared, L2 and the bus in use again, the missed invalidation replayed', async () => {
    await redis.start();
    await until(
      'both nodes to use Redis again (b replays its failed invalidation first)',
      () => a!.cache.usingRedis && b!.cache.usingRedis,
    );
    let loadsHere = 0;
    const read = (n: typeof a) => n!.cache.getOrLoad('outage', 'k2', opts, async () => `v${++loadsHere}`);
    expect(await read(a)).toBe('v1');
    for (let i = 0; i < 50 && (await read(b)) !== 'v1'; i++) await sleep(20);
    expect(await read(b)).toBe('v1');
    await a!.cache.invalidateTags(['member:1']);
    for (let i = 0; i < 50 && b!.cache.hasInL1('outage', 'k2'); i++) await sleep(5);
    expect(b!.cache.hasInL1('outage', 'k2')).toBe(false);
    expect(await read(b)).toBe('v2');
  });
});
