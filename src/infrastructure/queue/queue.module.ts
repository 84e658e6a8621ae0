import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/env';
import { RedisService } from '../redis/redis.service';

/** Queue names, one home. */
export const MEDIA_QUEUE = 'media';

/**
 * BullMQ on the app's Redis: jobs, retries and stalled-job recovery live in Redis, so any node can
 * work any job and a restart loses nothing. Keys are under REDIS_KEY_PREFIX + "bull". The config
 * waits for RedisService, so a missing Redis fails the boot with RedisService's one readable line
 * before BullMQ opens connections of its own.
 */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [EnvironmentVariables, RedisService],
      useFactory: (env: EnvironmentVariables) => ({
        connection: {
          host: env.REDIS_HOST,
          port: env.REDIS_PORT,
          password: env.REDIS_PASSWORD || undefined,
          db: env.REDIS_DB,
          // BullMQ's workers block on Redis: commands wait for a reconnect instead of failing.
          maxRetriesPerRequest: null,
          retryStrategy: (times: number) => Math.min(times * 200, 5000),
          connectionName: 'connecto-bullmq',
        },
        prefix: `${env.REDIS_KEY_PREFIX}bull`,
      }),
    }),
    BullModule.registerQueue({ name: MEDIA_QUEUE }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
