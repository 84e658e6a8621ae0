import { Logger } from '@nestjs/common';
import { DistributedCacheService } from '../../src/infrastructure/cache/distributed-cache.service';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { buildWorld, createUser, type UserFixture, type World } from '../factories';
import { PrivateRedis } from '../helpers/redis-server';
import { sleep } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * The app's cache while its Redis (a private redis-server, never the shared one) is killed and
 * restarted: requests keep succeeding from PostgreSQL, a removed member is refused, one warning
 * is logged, and the cache uses Redis again by itself.
 */
describe('the cache while Redis is away', () => {
  let redis: PrivateRedis | undefined;
  let t: TestApp | undefined;
  let host: UserFixture;
  let carol: UserFixture;
  let world: World;
  let warn: jest.SpyInstance;
  let cache: DistributedCacheService;

  const messages = (u: UserFixture) => t!.http.get(`/api/v1/planets/${world.planet.id}/messages`).set(u.auth);
  const popular = () => t!.http.get('/api/v1/travels/popular').set(host.auth).expect(200);
  const until = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 300 && !check(); i++) await sleep(50);
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const cacheWarnings = () => warn.mock.calls.filter((c: unknown[]) => /^Redis or the cache bus is unavailable/.test(String(c[0]))).length;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn');
    redis = await PrivateRedis.start();
    t = await startTestApp({
      tag: 'cacheredis',
      env: { REDIS_PORT: String(redis.port), RATE_LIMIT_READ: '100000/60s', CACHE_L1_OUTAGE_TTL_MS: '200' },
    });
    cache = t.app.get(DistributedCacheService);
    [host, carol] = await Promise.all([createUser(t.env), createUser(t.env)]);
    world = await buildWorld({ host, members: [carol] });
  });
  afterAll(async () => {
    warn.mockRestore();
    try {
      await redis?.start();
      await t?.close();
    } finally {
      await redis?.stop();
    }
  });

  it('answers from the database while Redis is down, warning once', async () => {
    await messages(carol).expect(200);
    await popular();
    await redis!.stop();
    await until('the Redis connection to drop', () => t!.app.get(RedisService).client.status !== 'ready');
    const errorsBefore = cache.stats.errors;
    for (let i = 0; i < 10; i++) {
      await messages(carol).expect(200);
      await popular();
      await sleep(30);
    }
    expect(cacheWarnings()).toBe(1);
    expect(cache.usingRedis).toBe(false);
    expect(cache.stats.errors - errorsBefore).toBe(0); // bypassed, not tried and failed per request
  });

  it('refuses a member who left while Redis is down', async () => {
    await t!.http.post(`/api/v1/planets/${world.planet.id}/leave`).set(carol.auth).expect(204);
    await messages(carol).expect(403);
  });

  it('uses Redis again by itself once it is back', async () => {
    await redis!.start();
    await until('the cache to use Redis again', () => cache.usingRedis);
    await messages(carol).expect(403);
    await t!.http.post(`/api/v1/planets/${world.planet.id}/join`).set(carol.auth).expect(200);
    await messages(carol).expect(200);
    const before = { ...cache.stats };
    await popular();
    await popular();
    expect(cache.stats.hits - before.hits).toBeGreaterThanOrEqual(1);
    expect(cacheWarnings()).toBe(1);
  });
});
