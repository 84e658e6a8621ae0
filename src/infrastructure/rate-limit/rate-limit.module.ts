import { Global, Module } from '@nestjs/common';
import { RateLimitInterceptor } from './rate-limit.interceptor';
import { RateLimiter } from './rate-limiter.service';

/** The rate limiter and the interceptor behind `@RateLimit(...)`, available to every module. */
@Global()
@Module({
  providers: [RateLimiter, RateLimitInterceptor],
  exports: [RateLimiter, RateLimitInterceptor],
})
export class RateLimitModule {}
