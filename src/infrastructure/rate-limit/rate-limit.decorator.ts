import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RATE_LIMIT_KEY, RateLimitInterceptor } from './rate-limit.interceptor';
import { RateLimitName } from './rate-limits';

/**
 * Applies named rate limits (see RATE_LIMITS) to a controller, a route or a gateway handler, e.g.
 * `@RateLimit('send')`, or `@RateLimit('upload')` on the media upload route. Limits on a class and
 * its methods add up; every bucket is taken in one Redis call, all or none.
 */
export const RateLimit = (...names: [RateLimitName, ...RateLimitName[]]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, names),
    UseInterceptors(RateLimitInterceptor),
    ApiTooManyRequestsResponse({ description: `Rate limited (${names.join(', ')}): wait the \`Retry-After\` seconds` }),
  );
