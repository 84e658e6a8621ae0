import { AppException, ErrorCode } from '../../src/common/errors/app.exception';
import { RateLimiter } from '../../src/infrastructure/rate-limit/rate-limiter.service';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { sleep } from '../helpers/socket';
import { testEnv, uniqueName } from '../helpers/test-db';

/** The token bucket script on the real Redis: burst, refill, all-or-none, give back, expiry. */
describe('RateLimiter on real Redis', () => {
  let redis: RedisService;
  let limiter: RateLimiter;
  const subject = () => uniqueName('rl');

  beforeAll(async () => {
    const env = testEnv({
      REDIS_KEY_PREFIX: `test:${uniqueName('ratelimiter')}:`,
      RATE_LIMIT_SEND: '3/3s',
      RATE_LIMIT_SEARCH: '2/60s',
      RATE_LIMIT_EDIT: '1/60s',
      RATE_LIMIT_READ: '7/60s',
    });
    redis = new RedisService(env);
    await redis.connect();
    limiter = new RateLimiter(env, redis);
  });
  afterAll(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${redis.prefix}rl:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.client.del(...keys.map((k) => k.slice(redis.prefix.length)));
    } while (cursor !== '0');
    await redis.onApplicationShutdown();
  });

  it('allows a burst of count, then refuses with the wait until one more is allowed', async () => {
    const s = subject();
    for (let i = 0; i < 2; i++) await limiter.take([{ name: 'search', subject: s }]);
    const err = await limiter.take([{ name: 'search', subject: s }]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppException);
    expect(err).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterSeconds: 30, message: 'Too many searches: try again in 30 s' });
  });

  it('allows exactly count at once when period / count is not a round number', async () => {
    const s = subject();
    const results = await Promise.all(Array.from({ length: 9 }, () => limiter.allows([{ name: 'read', subject: s }])));
    expect(results.filter(Boolean)).toHaveLength(7);
  });

  it('refills one every period / count', async () => {
    const s = subject();
    for (let i = 0; i < 3; i++) expect(await limiter.allows([{ name: 'send', subject: s }])).toBe(true);
    expect(await limiter.allows([{ name: 'send', subject: s }])).toBe(false);
    await sleep(1100); // one token is back after 1 s
    expect(await limiter.allows([{ name: 'send', subject: s }])).toBe(true);
    expect(await limiter.allows([{ name: 'send', subject: s }])).toBe(false);
  });

  it('takes from every bucket or from none', async () => {
    const a = subject();
    const b = subject();
    await limiter.take([{ name: 'edit', subject: b }]);
    expect(
      await limiter.allows([
        { name: 'search', subject: a },
        { name: 'edit', subject: b },
      ]),
    ).toBe(false);
    // The refused check took nothing from `a`: both of its searches are still there.
    expect(await limiter.allows([{ name: 'search', subject: a }])).toBe(true);
    expect(await limiter.allows([{ name: 'search', subject: a }])).toBe(true);
    expect(await limiter.allows([{ name: 'search', subject: a }])).toBe(false);
  });

  it('gives back what it took, never beyond a full bucket', async () => {
    const s = subject();
    await limiter.giveBack([{ name: 'search', subject: s }]);
    await limiter.giveBack([{ name: 'search', subject: s }]);
    for (let i = 0; i < 2; i++) await limiter.take([{ name: 'search', subject: s }]);
    expect(await limiter.allows([{ name: 'search', subject: s }])).toBe(false);
    await limiter.giveBack([{ name: 'search', subject: s }]);
    expect(await limiter.allows([{ name: 'search', subject: s }])).toBe(true);
  });

  it('keeps a bucket only until it is full again', async () => {
    const s = subject();
    await limiter.take([{ name: 'search', subject: s }]);
    const ttl = await redis.client.pttl(`rl:search:${s}`);
    expect(ttl).toBeGreaterThan(29_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
  });

  it('does nothing when disabled', async () => {
    const off = new RateLimiter(testEnv({ REDIS_KEY_PREFIX: redis.prefix, RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_EDIT: '1/60s' }), redis);
    const s = subject();
    for (let i = 0; i < 5; i++) await off.take([{ name: 'edit', subject: s }]);
    expect(await redis.client.exists(`rl:edit:${s}`)).toBe(0);
  });
});
