import { createUser, UserFixture } from '../factories/user.factory';
import { PrivateRedis } from '../helpers/redis-server';
import { sleep } from '../helpers/socket';
import { startTestApp, TestApp } from '../helpers/test-app';

/** Readiness follows Redis (a private redis-server, never the shared one) down and back up; the API keeps serving meanwhile. */
describe('readiness through a Redis outage', () => {
  let redis: PrivateRedis;
  let t: TestApp;
  let user: UserFixture;

  const readyStatus = async () => (await fetch(`${t.url}/health/ready`, { signal: AbortSignal.timeout(3000) })).status;
  const until = async (status: number, timeoutMs: number): Promise<number> => {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if ((await readyStatus()) === status) return Date.now() - started;
      await sleep(100);
    }
    throw new Error(`readiness never answered ${status} within ${timeoutMs} ms`);
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    t = await startTestApp({ tag: 'ready', env: { REDIS_PORT: String(redis.port) } });
    user = await createUser(t.env);
  });
  afterAll(async () => {
    try {
      await redis?.start();
      await t?.close();
    } finally {
      await redis?.stop();
    }
  });

  it('is 503 with Retry-After while Redis is down, 200 within seconds of its return, and reads degrade to PostgreSQL', async () => {
    expect(await readyStatus()).toBe(200);
    await redis.stop();
    await until(503, 3000);
    const res = await fetch(`${t.url}/health/ready`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ statusCode: 503, checks: { postgres: 'up', redis: 'down' } });
    // the cached route falls back to the database
    expect((await fetch(`${t.url}/api/v1/travels/popular`, { headers: user.auth })).status).toBe(200);

    await redis.start();
    expect(await until(200, 10_000)).toBeLessThan(10_000);
  });
});
