import { Global, Module } from '@nestjs/common';
import { EnvironmentVariables } from '../../config/env';
import { RedisService } from './redis.service';

@Global()
@Module({
  providers: [
    {
      provide: RedisService,
      inject: [EnvironmentVariables],
      useFactory: async (env: EnvironmentVariables) => {
        const redis = new RedisService(env);
        await redis.connect();
        return redis;
      },
    },
  ],
  exports: [RedisService],
})
export class RedisModule {}
