import { createHash, randomBytes } from 'node:crypto';
import type { RedisService } from '../../../infrastructure/redis/redis.service';

/**
 * Cloudflare's API limit for one token (1,200 requests per 5 minutes, then 429 for 5 minutes),
 * counted for all nodes in Redis: a sliding log (sorted set of send times) and a "blocked until"
 * key set when Cloudflare answers 429 anyway, so every node waits out Retry-After, not only the
 * one that got it. One Lua script per call: atomic across nodes.
 */
const ACQUIRE = `
local blockedTtl = redis.call('PTTL', KEYS[2])
if blockedTtl > 0 then return blockedTtl end
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

export class CloudflareRateLimit {
  private readonly logKey: string;
  private readonly blockedKey: string;

  constructor(
    private readonly redis: RedisService,
    token: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {
    // Per token, as Cloudflare counts; the token itself never reaches Redis.
    const id = createHash('sha256').update(token).digest('hex').slice(0, 16);
    this.logKey = `cloudflare:rl:${id}`;
    this.blockedKey = `cloudflare:rl:${id}:blocked`;
  }

  /** Takes one request from the shared budget: 0 when taken, else how long (ms) until one frees up. */
  async acquire(): Promise<number> {
    const member = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const wait = await this.redis.client.eval(ACQUIRE, 2, this.logKey, this.blockedKey, Date.now(), this.windowMs, this.limit, member);
    return Number(wait);
  }

  /** Cloudflare answered 429: every node holds off for `ms`. */
  async block(ms: number): Promise<void> {
    await this.redis.client.set(this.blockedKey, '1', 'PX', Math.max(1, Math.ceil(ms)));
  }
}
