import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DomainEventsModule } from './common/events/domain-events';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { ConfigModule } from './config/config.module';
import { EnvironmentVariables } from './config/env';
import { AuthGuard } from './guards/auth.guard';
import { HealthController } from './health/health.controller';
import { CacheModule } from './infrastructure/cache/cache.module';
import { DatabaseModule } from './infrastructure/database/database.module';
import { ReadReplicasModule } from './infrastructure/database/read-replicas';
import { MetricsModule } from './infrastructure/metrics/metrics.module';
import { RateLimitModule } from './infrastructure/rate-limit/rate-limit.module';
import { LifecycleModule } from './infrastructure/lifecycle/lifecycle.module';
import { RedisModule } from './infrastructure/redis/redis.module';
import { FEATURE_MODULES } from './modules';
import { TokenModule } from './modules/auth/token.module';

@Module({})
export class AppModule {
  static forRoot(env: EnvironmentVariables): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LifecycleModule,
        DatabaseModule,
        MetricsModule,
        RedisModule,
        ReadReplicasModule,
        RateLimitModule,
        CacheModule,
        DomainEventsModule,
        TokenModule,
        ...FEATURE_MODULES,
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useExisting: AuthGuard },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
