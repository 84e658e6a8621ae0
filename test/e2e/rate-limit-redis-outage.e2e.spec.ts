import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { FACTORY_PASSWORD, createUser, planetWith, type UserFixture } from '../factories';
import { PrivateRedis } from '../helpers/redis-server';
import { sleep } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/**
 * Rate limiting fails open: with Redis gone (a private redis-server, never the shared one) or not
 * answering, requests keep working past the limits, with one warning per outage; once Redis is
 * back the limits apply again.
 */
describe('rate limits while Redis is away', () => {
  let redis: PrivateRedis | undefined;
  let t: TestApp | undefined;
  let alice: UserFixture;
  let planetId: number;
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;

  const send = (content: string) => t!.http.post(`/api/v1/planets/${planetId}/messages`).set(alice.auth).send({ content });
  const statusOfRedis = () => t!.app.get(RedisService).client.status;
  const until = async (what: string, check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await sleep(50);
    if (!check()) throw new Error(`timed out waiting for ${what}`);
  };
  const rateLimitCalls = (spy: jest.SpyInstance, pattern: RegExp) =>
    spy.mock.calls.filter((c: unknown[]) => pattern.test(String(c[0]))).length;

  beforeAll(async () => {
    warn = jest.spyOn(Logger.prototype, 'warn');
    log = jest.spyOn(Logger.prototype, 'log');
    redis = await PrivateRedis.start();
    t = await startTestApp({
      tag: 'rlredis',
      env: { REDIS_PORT: String(redis.port), RATE_LIMIT_SEND: '2/60s', RATE_LIMIT_AUTH_IP: '2/60s' },
    });
    alice = await createUser(t.env);
    planetId = await planetWith(alice);
  });
  afterAll(async () => {
    warn.mockRestore();
    log.mockRestore();
    try {
      await redis?.start();
      await t?.close();
    } finally {
      await redis?.stop();
    }
  });

  it('enforces the limit while Redis is up', async () => {
    await send('1').expect(201);
    await send('2').expect(201);
    await send('3').expect(429);
  });

  it('lets requests through while Redis is down, warning once', async () => {
    await redis!.stop();
    await until('the Redis connection to drop', () => statusOfRedis() !== 'ready');
    for (let i = 0; i < 5; i++) await send(`down ${i}`).expect(201);
    for (let i = 0; i < 4; i++)
      await t!.http.post('/api/v1/auth/login').send({ email: alice.user.email, password: FACTORY_PASSWORD }).expect(200);
    expect(rateLimitCalls(warn, /^rate limits are not enforced while Redis fails/)).toBe(1);
  });

  it('enforces the limits again once Redis is back', async () => {
    await redis!.start();
    await until('the Redis connection to return', () => statusOfRedis() === 'ready');
    await send('back 1').expect(201);
    expect(rateLimitCalls(log, /^rate limits are enforced again/)).toBe(1);
    await send('back 2').expect(201);
    await send('back 3').expect(429);
  });

  it('lets requests through when Redis is connected but does not answer', async () => {
    const admin = new Redis({ host: '127.0.0.1', port: redis!.port });
    try {
      const pauseMs = 5000;
      await admin.client('PAUSE', pauseMs, 'ALL');
      const started = Date.now();
      await t!.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.77')
        .send({ email: alice.user.email, password: FACTORY_PASSWORD })
        .expect(200);
      await t!.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.77')
        .send({ email: alice.user.email, password: FACTORY_PASSWORD })
        .expect(200);
      await t!.http
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', '203.0.113.77')
        .send({ email: alice.user.email, password: FACTORY_PASSWORD })
        .expect(200);
      // Answered (past the 2/60s limit) while Redis was still paused: the limiter did not wait for it.
      expect(Date.now() - started).toBeLessThan(pauseMs);
      expect(rateLimitCalls(warn, /^rate limits are not enforced while Redis fails \(no answer within/)).toBe(1);
    } finally {
      await admin.client('UNPAUSE').catch(() => undefined);
      admin.disconnect();
    }
  });
});
