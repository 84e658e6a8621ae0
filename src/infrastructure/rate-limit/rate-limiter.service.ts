import { Injectable, Logger, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { AppException, ErrorCode } from '../../common/errors/app.exception';
import { EnvironmentVariables } from '../../config/env';
import { Metrics } from '../metrics/metrics.service';
import { RedisService } from '../redis/redis.service';
import { RATE_LIMITS, RateLimitName, RateRule, rulesFrom } from './rate-limits';

/** One bucket to take from: a named limit and whom it counts (user id, IP, socket id, account hash). */
export interface RateCheck {
  name: RateLimitName;
  subject: string | number;
}

/** A Redis that does not answer within this long lets the request through (fail open). */
const REDIS_TIMEOUT_MS = 250;

/**
 * Token buckets (GCRA) for every key given, taken from all or none, in one atomic script on
 * Redis's clock (so nodes with skewed clocks agree). A bucket is one key holding the time at which
 * it is full again ("theoretical arrival time"): a request adds `period / count` to it and is
 * refused when that lands more than `period` ahead of now. A refused check writes nothing.
 * KEYS: the buckets. ARGV: cost (1 to take, -1 to give back), then count and period (ms) per key.
 * Returns { wait in ms (0 = allowed), index of the refusing key }.
 */
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local cost = tonumber(ARGV[1])
local wait, refusing, tats = 0, 0, {}
for i, key in ipairs(KEYS) do
  local count, period = tonumber(ARGV[i * 2]), tonumber(ARGV[i * 2 + 1])
  local tat = math.max(tonumber(redis.call('GET', key) or now), now)
  local next_tat = math.max(tat + cost * period / count, now)
  local over = next_tat - now - period
  -- Times near 1.7e12 ms carry ~0.0002 ms of float rounding: only a microsecond or more is "over".
  if over > 0.001 and over > wait then wait, refusing = over, i end
  tats[i] = next_tat
end
if wait > 0 then return { math.ceil(wait), refusing } end
for i, key in ipairs(KEYS) do
  local ttl = math.ceil(tats[i] - now)
  if ttl > 0 then redis.call('SET', key, string.format('%.17g', tats[i]), 'PX', ttl) else redis.call('DEL', key) end
end
return { 0, 0 }
`;

type LimiterRedis = Redis & { rateLimitTake(numKeys: number, ...args: (string | number)[]): Promise<[number, number]> };

/**
 * The rate limits, shared by every instance through Redis. Fails open: while Redis is down or slow,
 * requests go through, with one warning per outage (not one per request).
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimit');
  private readonly rules: Record<RateLimitName, RateRule>;
  private readonly enabled: boolean;
  private readonly redis: LimiterRedis;
  private failing = false;

  constructor(
    env: EnvironmentVariables,
    redis: RedisService,
    @Optional() private readonly metrics?: Metrics,
  ) {
    this.rules = rulesFrom(env);
    this.enabled = env.RATE_LIMIT_ENABLED === 'true';
    this.redis = redis.client as LimiterRedis;
    if (typeof this.redis.rateLimitTake !== 'function') this.redis.defineCommand('rateLimitTake', { lua: TAKE_SCRIPT });
  }

  /** Takes one from each bucket, or none and throws 429 (RATE_LIMITED) with the seconds to wait. */
  async take(checks: RateCheck[]): Promise<void> {
    const refusal = await this.run(checks, 1);
    if (!refusal) return;
    const seconds = Math.max(1, Math.ceil(refusal.waitMs / 1000));
    throw new AppException(ErrorCode.RATE_LIMITED, `${RATE_LIMITS[refusal.name].refused}: try again in ${seconds} s`, undefined, seconds);
  }

  /** Takes one like `take`, but answers instead of throwing: false when refused. */
  async allows(checks: RateCheck[]): Promise<boolean> {
    return (await this.run(checks, 1)) === undefined;
  }

  /** Gives back what `take` took (for limits that count failures only). Never throws. */
  async giveBack(checks: RateCheck[]): Promise<void> {
    await this.run(checks, -1);
  }

  private async run(checks: RateCheck[], cost: 1 | -1): Promise<{ name: RateLimitName; waitMs: number } | undefined> {
    if (!this.enabled || checks.length === 0) return undefined;
    if (this.redis.status !== 'ready') {
      this.failOpen(`the Redis connection is ${this.redis.status}`);
      return undefined;
    }
    const keys = checks.map((c) => `rl:${c.name}:${c.subject}`);
    const args = checks.flatMap((c) => [this.rules[c.name].count, this.rules[c.name].periodMs]);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
      });
      const [waitMs, index] = await Promise.race([this.redis.rateLimitTake(keys.length, ...keys, cost, ...args), timeout]);
      if (this.failing) this.logger.log('rate limits are enforced again (Redis answers)');
      this.failing = false;
      if (waitMs <= 0) return undefined;
      this.metrics?.series.rateLimitRefusals.inc({ limit: checks[index - 1].name });
      return { name: checks[index - 1].name, waitMs };
    } catch (err) {
      this.failOpen((err as Error).message);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  private failOpen(reason: string): void {
    if (!this.failing) this.logger.warn(`rate limits are not enforced while Redis fails (${reason}): requests are let through`);
    this.failing = true;
  }
}
