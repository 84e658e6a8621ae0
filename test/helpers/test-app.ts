import { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/bootstrap';
import { EnvironmentVariables } from '../../src/config/env';
import { RedisService } from '../../src/infrastructure/redis/redis.service';
import { createSuiteDatabase, dropDatabase, testEnv } from './test-db';

export interface TestApp {
  app: INestApplication;
  env: EnvironmentVariables;
  url: string;
  http: TestAgent;
  close(): Promise<void>;
}

/** Boots the real app on its own fresh database and a Redis key prefix of its own, listening on a free port. */
export async function startTestApp(opts: { tag?: string; database?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const owned = !opts.database;
  const database = opts.database ?? (await createSuiteDatabase(opts.tag));
  const env = testEnv({ DATABASE_NAME: database, REDIS_KEY_PREFIX: `test:${database}:`, ...opts.env });
  const app = await createApp(env);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    env,
    url,
    http: request(url),
    async close() {
      const redis = app.get(RedisService);
      const keys = await scanKeys(redis, `${env.REDIS_KEY_PREFIX}*`);
      if (keys.length) await redis.client.del(...keys.map((k) => k.slice(env.REDIS_KEY_PREFIX.length)));
      await app.close();
      if (owned) await dropDatabase(database);
    },
  };
}

async function scanKeys(redis: RedisService, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
