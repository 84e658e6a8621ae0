import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { EnvironmentVariables } from '../../config/env';
import { Metrics } from '../metrics/metrics.service';
import { RedisService } from '../redis/redis.service';
import { argsHash, decode, encode } from './cache-codec';
import { CacheRegistry } from './cache-registry';

/** Counters since start, per process (tests and the benchmark read them; /metrics has the same figures). */
export interface CacheStats {
  /** l1Hits + l2Hits + graceHits. */
  hits: number;
  l1Hits: number;
  l2Hits: number;
  /** A stale value served within its grace period because the loader failed or was too slow. */
  graceHits: number;
  misses: number;
  /** Loader runs (≤ misses: concurrent misses of one key share one load). */
  loads: number;
  loadMs: number;
  errors: number;
  invalidations: number;
}

const emptyStats = (): CacheStats => ({
  hits: 0,
  l1Hits: 0,
  l2Hits: 0,
  graceHits: 0,
  misses: 0,
  loads: 0,
  loadMs: 0,
  errors: 0,
  invalidations: 0,
});

export interface CacheOptions {
  /** Time to live of the entry, in seconds (±10 % jitter is applied). */
  ttlSeconds: number;
  /** After the TTL, the stale value may still be served this long while the loader fails or is slower than the soft timeout. 0: never (membership). */
  graceSeconds?: number;
  /** Upper bound of the entry in this node's memory (default: the TTL). */
  l1TtlSeconds?: number;
  /** Invalidating any of these drops the entry on every node. The namespace is always a tag. */
  tags?: string[];
  /** Whether to keep a loaded value (default: all but `undefined`). */
  store?: (value: unknown) => boolean;
}

interface L1Entry {
  text: string;
  /** ms epoch: fresh until. */
  exp: number;
  /** ms epoch: may be served as a grace value until. */
  graceUntil: number;
  /** ms epoch: when this node stored it (bounds the outage use). */
  at: number;
  tags: string[];
}

interface L2Envelope {
  t: string;
  exp: number;
  graceUntil: number;
}

/** KEYS: entry, tag version keys…, tag set keys… ARGV: text, px, n, expected versions… */
const SET_IF_CURRENT = `
local n = tonumber(ARGV[3])
for i = 1, n do
  if (redis.call('GET', KEYS[1 + i]) or '0') ~= ARGV[3 + i] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 1, n do
  local set = KEYS[1 + n + i]
  redis.call('SADD', set, KEYS[1])
  if redis.call('PTTL', set) < tonumber(ARGV[2]) then redis.call('PEXPIRE', set, ARGV[2]) end
end
return 1`;

/** KEYS: tag version keys…, tag set keys… ARGV: n, version ttl ms. Bumps each version, deletes every entry of each tag. */
const INVALIDATE = `
local n = tonumber(ARGV[1])
local deleted = 0
for i = 1, n do
  redis.call('INCR', KEYS[i])
  redis.call('PEXPIRE', KEYS[i], ARGV[2])
  local members = redis.call('SMEMBERS', KEYS[n + i])
  for _, key in ipairs(members) do deleted = deleted + redis.call('DEL', key) end
  redis.call('DEL', KEYS[n + i])
end
return deleted`;

/** Tag versions live two days: longer than any TTL plus grace. */
const TAG_VERSION_TTL_MS = 2 * 24 * 3600 * 1000;
/** How many recent invalidations a node remembers to refuse storing a value loaded before one of them. */
const RECENT_INVALIDATIONS = 2048;

/**
 * Invalidations wait this many × CACHE_REDIS_TIMEOUT_MS: they are rare and a failed one takes the
 * node off L2 until it is replayed, so they get longer than reads.
 */
const INVALIDATION_TIMEOUT_FACTOR = 10;

class LoadTimeout extends Error {}

/**
 * Two-tier cache-aside (see README "Caching"): an in-process L1 (bounded LRU) in front of Redis
 * (L2), with tags and cross-node invalidation over Redis pub/sub.
 *
 * - Keys: `cache{c}:e:<namespace>:<Class.method>:<argument hash>` under REDIS_KEY_PREFIX. Every key
 *   shares the `{c}` hash tag, so the Lua scripts work on Redis Cluster too (one slot).
 * - Invalidation (`invalidateTags`, `invalidate(namespace)`): drops this node's L1 entries, then in one
 *   Lua script bumps each tag's version and deletes its L2 entries, then publishes the tags; every
 *   other node drops its L1 entries on the message and confirms on the ack channel. The caller
 *   awaits all of it (the confirmations bounded by 10× CACHE_REDIS_TIMEOUT_MS), so a write is
 *   answered only after every node's L1 let go of what it changed.
 * - A load that raced an invalidation never stores its (possibly old) value: L2 stores only if the
 *   tag versions read before the load are unchanged (Lua), L1 only if no invalidation of its tags
 *   arrived on this node meanwhile.
 * - Stampede: concurrent misses of one key share one load per node.
 * - Grace: past the TTL, a stale value is served when the loader throws or exceeds the soft timeout
 *   (the load goes on and refreshes the entry).
 * - Timeouts: each Redis call is bounded by CACHE_REDIS_TIMEOUT_MS; a slow Redis is a miss.
 * - Redis failure: L2 and the bus are bypassed; L1 serves only entries younger than
 *   CACHE_L1_OUTAGE_TTL_MS (no invalidation reaches this node meanwhile); one warning per outage;
 *   when the bus is back, L1 is cleared (it may have missed invalidations) and use resumes.
 */
@Injectable()
export class DistributedCacheService implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('Cache');
  /**
   * Loads in flight, one per key, shared by concurrent misses. An invalidation of any of a load's
   * tags removes it here: a caller arriving after the invalidation must not get a value read before it.
   */
  private readonly inflight = new Map<string, { run: Promise<unknown>; tags: string[] }>();
  private readonly l1 = new Map<string, L1Entry>();
  private readonly l1ByTag = new Map<string, Set<string>>();
  private readonly recent: { seq: number; tags: string[] }[] = [];
  private seq = 0;
  private readonly nodeId = randomUUID();
  private readonly channel: string;
  /** Where nodes confirm they dropped an invalidation's L1 entries (see invalidateInRedis). */
  private readonly ackChannel: string;
  private readonly awaitingAcks = new Map<string, { acks: number; expected?: number; done: () => void }>();
  private ackSeq = 0;
  private subscriber?: Redis;
  private healthy = true;
  private readonly pendingTags = new Set<string>();
  private flushing = false;
  private closed = false;
  readonly stats: CacheStats = emptyStats();
  private readonly byNamespace = new Map<string, CacheStats>();
  readonly enabled: boolean;
  private readonly l1Max: number;
  private readonly outageTtlMs: number;
  private readonly redisTimeoutMs: number;
  private readonly softTimeoutMs: number;

  constructor(
    private readonly redis: RedisService,
    @Optional() private readonly metrics?: Metrics,
    @Optional() env?: EnvironmentVariables,
  ) {
    this.enabled = (env?.CACHE_ENABLED ?? 'true') === 'true';
    this.l1Max = env?.CACHE_L1_MAX_ENTRIES ?? 10_000;
    this.outageTtlMs = env?.CACHE_L1_OUTAGE_TTL_MS ?? 1000;
    this.redisTimeoutMs = env?.CACHE_REDIS_TIMEOUT_MS ?? 100;
    this.softTimeoutMs = env?.CACHE_SOFT_TIMEOUT_MS ?? 500;
    this.channel = `${redis.prefix}cache:bus`;
    this.ackChannel = `${redis.prefix}cache:bus:ack`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    CacheRegistry.use(this);
    const sub = this.redis.duplicate('cache-bus', { maxRetriesPerRequest: null });
    this.subscriber = sub;
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.onBusMessage(message);
      else if (channel === this.ackChannel) this.onAck(message);
    });
    // Anything may have been missed while the bus was down: forget L1 before using it again.
    sub.on('ready', () => this.clearL1());
    try {
      await sub.connect();
      await sub.subscribe(this.channel, this.ackChannel);
    } catch (err) {
      this.logger.warn(
        `cache bus not connected (${(err as Error).message}): L1 serves entries for at most ${this.outageTtlMs} ms until it is`,
      );
    }
  }

  onModuleDestroy(): void {
    CacheRegistry.release(this);
  }

  onApplicationShutdown(): void {
    this.closed = true;
    this.subscriber?.disconnect();
  }

  /** `<namespace>:<method>:<hash of args>`: what `@CacheResult` keys an entry by. */
  static keyOf(method: string, args: unknown[]): string {
    return `${method}:${argsHash(args)}`;
  }

  /** This process's figures, in total and per namespace. */
  namespaceStats(): Record<string, CacheStats> {
    return Object.fromEntries([...this.byNamespace].map(([ns, s]) => [ns, { ...s }]));
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
    this.byNamespace.clear();
  }

  /** Whether L2 and the bus are in use (Redis and the bus connected, no invalidation waiting to be replayed). */
  get usingRedis(): boolean {
    return this.checkHealth();
  }

  /** Entries in this node's L1 (tests). */
  get l1Size(): number {
    return this.l1.size;
  }

  /** Whether this node holds `namespace:key` in L1 (tests). */
  hasInL1(namespace: string, key: string): boolean {
    return this.l1.has(`${namespace}:${key}`);
  }

  /** The cached value of `namespace:key`, or the loader's result, stored with `opts`. */
  async getOrLoad<T>(namespace: string, key: string, opts: CacheOptions | number, loader: () => Promise<T>): Promise<T> {
    if (!this.enabled) return loader();
    const o: CacheOptions = typeof opts === 'number' ? { ttlSeconds: opts } : opts;
    const fk = `${namespace}:${key}`;
    const tags = [`ns:${namespace}`, ...(o.tags ?? [])];
    const now = Date.now();
    const healthy = this.checkHealth();
    let stale: string | undefined;

    const l1 = this.l1.get(fk);
    if (l1) {
      const usable = healthy || now - l1.at <= this.outageTtlMs;
      if (usable && now < l1.exp) {
        this.l1.delete(fk);
        this.l1.set(fk, l1); // LRU order
        this.hit(namespace, 'l1');
        return decode<T>(l1.text);
      }
      if (usable && now < l1.graceUntil) stale = l1.text;
      else this.dropL1(fk);
    }

    // Read with the entry, in the same round trip: the tag versions a load would have to find unchanged to store.
    const seqBefore = this.seq;
    let versions: string[] | undefined;
    if (healthy) {
      try {
        const replies = await this.bounded(
          this.redis.client
            .pipeline()
            .get(this.entryKey(fk))
            .mget(...tags.map((t) => this.versionKey(t)))
            .exec(),
        );
        const [[getErr, rawReply], [mgetErr, versionReply]] = replies as [[Error | null, unknown], [Error | null, unknown]];
        if (getErr) throw getErr;
        if (mgetErr) throw mgetErr;
        const raw = rawReply as string | null;
        versions = (versionReply as (string | null)[]).map((v) => v ?? '0');
        if (raw !== null) {
          const env = JSON.parse(raw) as L2Envelope;
          const at = Date.now();
          if (at < env.exp) {
            this.storeL1(fk, env.t, Math.min(env.exp, at + (o.l1TtlSeconds ?? o.ttlSeconds) * 1000), env.graceUntil, tags, seqBefore);
            this.hit(namespace, 'l2');
            return decode<T>(env.t);
          }
          if (at < env.graceUntil) stale = env.t;
        }
      } catch (err) {
        this.error(namespace, 'read', err);
      }
    }

    this.count(namespace, 'misses');
    this.metrics?.series.cacheMisses.inc({ namespace });
    const pending = this.inflight.get(fk)?.run as Promise<string | undefined> | undefined;
    const load = pending ?? this.startLoad(namespace, fk, tags, o, loader, healthy, { seqBefore, versions });
    if (stale === undefined) return decodeOrUndefined<T>(await load);
    try {
      return decodeOrUndefined<T>(await this.withSoftTimeout(load));
    } catch {
      this.hit(namespace, 'grace');
      return decode<T>(stale);
    }
  }

  /** Drops every entry of `namespace` on every node. */
  invalidate(namespace: string): Promise<void> {
    return this.invalidateTags([`ns:${namespace}`]);
  }

  /**
   * Drops every entry carrying any of `tags`, here, in Redis and (over the bus) on every other
   * node; resolves once all of that was done (or failed, logged: Redis is away).
   */
  async invalidateTags(tags: string[]): Promise<void> {
    if (!this.enabled || tags.length === 0) return;
    const unique = [...new Set(tags)];
    this.dropTagsLocally(unique);
    for (const tag of unique) {
      this.stats.invalidations++;
      this.metrics?.series.cacheInvalidations.inc({ namespace: tagFamily(tag) });
    }
    if (!this.checkHealth() || !(await this.invalidateInRedis(unique))) {
      // Redis kept what it had: entries of these tags may still be there when it answers again.
      for (const tag of unique) this.pendingTags.add(tag);
    }
  }

  /** Bumps the versions, deletes the L2 entries and tells the other nodes; false when Redis failed. */
  private async invalidateInRedis(tags: string[]): Promise<boolean> {
    try {
      const keys = [...tags.map((t) => this.versionKey(t)), ...tags.map((t) => this.tagSetKey(t))];
      await this.bounded(
        this.redis.client.eval(INVALIDATE, keys.length, ...keys, tags.length, TAG_VERSION_TTL_MS),
        INVALIDATION_TIMEOUT_FACTOR,
      );
      // Every other node confirms once its L1 entries are gone, so a request the writer answers next
      // cannot meet an old copy on another node: pub/sub delivery alone leaves a window of a few ms
      // (more on a busy event loop) in which a node still serves what this write changed. PUBLISH
      // says how many subscribers got the message (this node among them); a node that does not
      // confirm within the bound is not waited for longer (it is slow or gone; its entries still end
      // with their TTL or with CACHE_L1_OUTAGE_TTL_MS once its bus is down).
      const id = `${this.nodeId}:${++this.ackSeq}`;
      let acked!: () => void;
      const confirmed = new Promise<void>((resolve) => (acked = resolve));
      this.awaitingAcks.set(id, { acks: 0, done: acked });
      try {
        const receivers = await this.bounded(
          this.redis.client.publish(this.channel, JSON.stringify({ o: this.nodeId, t: tags, a: id })),
          INVALIDATION_TIMEOUT_FACTOR,
        );
        const waiting = this.awaitingAcks.get(id);
        if (waiting) {
          waiting.expected = receivers - 1; // acks may have arrived before PUBLISH answered
          if (waiting.acks >= waiting.expected) acked();
        }
        await this.bounded(confirmed, INVALIDATION_TIMEOUT_FACTOR).catch(() =>
          this.error(tagFamily(tags[0]), 'invalidation', new Error('not every node confirmed dropping its L1 entries in time')),
        );
      } finally {
        this.awaitingAcks.delete(id);
      }
      return true;
    } catch (err) {
      this.error(tagFamily(tags[0]), 'invalidation', err);
      return false;
    }
  }

  /** Invalidations that failed while Redis was away, replayed once it answers (L2 stays bypassed until then). */
  private flushPending(): void {
    if (this.flushing) return;
    this.flushing = true;
    const tags = [...this.pendingTags];
    void this.invalidateInRedis(tags)
      .then((ok) => {
        if (ok) for (const tag of tags) this.pendingTags.delete(tag);
      })
      .finally(() => (this.flushing = false));
  }

  private startLoad<T>(
    namespace: string,
    fk: string,
    tags: string[],
    o: CacheOptions,
    loader: () => Promise<T>,
    healthy: boolean,
    read: { seqBefore: number; versions?: string[] },
  ): Promise<string | undefined> {
    const run = (async () => {
      const seqBefore = read.seqBefore;
      let versions = read.versions;
      if (healthy && !versions) {
        try {
          versions = (await this.bounded(this.redis.client.mget(...tags.map((t) => this.versionKey(t))))).map((v) => v ?? '0');
        } catch (err) {
          this.error(namespace, 'read', err);
        }
      }
      const started = performance.now();
      const value = await loader();
      const ms = performance.now() - started;
      this.count(namespace, 'loads');
      this.nsStats(namespace).loadMs += ms;
      this.stats.loadMs += ms;
      this.metrics?.series.cacheLoadDuration.observe({ namespace }, ms / 1000);
      if (value === undefined) return undefined;
      const text = encode(value);
      if (o.store && !o.store(value)) return text;
      const now = Date.now();
      const ttlMs = Math.max(1, Math.round(o.ttlSeconds * 1000 * (0.9 + Math.random() * 0.2)));
      const exp = now + ttlMs;
      const graceUntil = exp + (o.graceSeconds ?? 0) * 1000;
      this.storeL1(fk, text, Math.min(exp, now + (o.l1TtlSeconds ?? o.ttlSeconds) * 1000), graceUntil, tags, seqBefore);
      if (versions) {
        const envelope: L2Envelope = { t: text, exp, graceUntil };
        const keys = [this.entryKey(fk), ...tags.map((t) => this.versionKey(t)), ...tags.map((t) => this.tagSetKey(t))];
        await this.bounded(
          this.redis.client.eval(
            SET_IF_CURRENT,
            keys.length,
            ...keys,
            JSON.stringify(envelope),
            graceUntil - now,
            tags.length,
            ...versions,
          ),
        ).catch((err: unknown) => this.error(namespace, 'write', err));
      }
      return text;
    })();
    const entry = { run, tags };
    this.inflight.set(fk, entry);
    const forget = () => {
      if (this.inflight.get(fk) === entry) this.inflight.delete(fk);
    };
    void run.then(forget, forget);
    return run;
  }

  private withSoftTimeout(load: Promise<string | undefined>): Promise<string | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new LoadTimeout()), this.softTimeoutMs);
    });
    return Promise.race([load, timeout]).finally(() => clearTimeout(timer));
  }

  /** Stores in L1 unless an invalidation of one of `tags` arrived since `seqBefore` (the value may predate it). */
  private storeL1(fk: string, text: string, exp: number, graceUntil: number, tags: string[], seqBefore: number): void {
    if (this.invalidatedSince(seqBefore, tags)) return;
    this.dropL1(fk);
    this.l1.set(fk, { text, exp, graceUntil, at: Date.now(), tags });
    for (const tag of tags) {
      let keys = this.l1ByTag.get(tag);
      if (!keys) this.l1ByTag.set(tag, (keys = new Set()));
      keys.add(fk);
    }
    while (this.l1.size > this.l1Max) this.dropL1(this.l1.keys().next().value as string);
  }

  private invalidatedSince(seqBefore: number, tags: string[]): boolean {
    if (this.seq === seqBefore) return false;
    const oldest = this.recent[0]?.seq ?? Infinity;
    if (oldest > seqBefore + 1) return true; // too many invalidations since: assume the worst
    return this.recent.some((r) => r.seq > seqBefore && r.tags.some((t) => tags.includes(t)));
  }

  private dropL1(fk: string): void {
    const entry = this.l1.get(fk);
    if (!entry) return;
    this.l1.delete(fk);
    for (const tag of entry.tags) {
      const keys = this.l1ByTag.get(tag);
      keys?.delete(fk);
      if (keys?.size === 0) this.l1ByTag.delete(tag);
    }
  }

  private dropTagsLocally(tags: string[]): void {
    this.seq++;
    this.recent.push({ seq: this.seq, tags });
    if (this.recent.length > RECENT_INVALIDATIONS) this.recent.shift();
    for (const tag of tags) for (const fk of [...(this.l1ByTag.get(tag) ?? [])]) this.dropL1(fk);
    const dropped = new Set(tags);
    for (const [fk, load] of this.inflight) if (load.tags.some((t) => dropped.has(t))) this.inflight.delete(fk);
  }

  private clearL1(): void {
    this.seq++;
    this.recent.length = 0; // every earlier load is now "before too many invalidations"
    this.l1.clear();
    this.inflight.clear();
    this.l1ByTag.clear();
  }

  private onBusMessage(message: string): void {
    try {
      const { o, t, a } = JSON.parse(message) as { o: string; t: string[]; a?: string };
      if (o === this.nodeId || !Array.isArray(t)) return;
      this.dropTagsLocally(t);
      if (typeof a === 'string') {
        this.redis.client.publish(this.ackChannel, a).catch((err: unknown) => this.error(tagFamily(t[0] ?? ''), 'invalidation ack', err));
      }
    } catch {
      this.logger.warn('ignored a malformed cache bus message');
    }
  }

  /** Another node dropped the L1 entries of one of this node's invalidations. */
  private onAck(id: string): void {
    const waiting = this.awaitingAcks.get(id);
    if (!waiting) return;
    waiting.acks += 1;
    if (waiting.expected !== undefined && waiting.acks >= waiting.expected) waiting.done();
  }

  /** Redis and the bus both up. Logs once when that changes; L1 is cleared when the bus comes back. */
  private checkHealth(): boolean {
    const connected = this.redis.client.status === 'ready' && this.subscriber?.status === 'ready';
    if (connected && this.pendingTags.size > 0) this.flushPending();
    const up = connected && this.pendingTags.size === 0;
    if (up !== this.healthy && !this.closed) {
      this.healthy = up;
      if (up) {
        this.clearL1();
        this.logger.log('cache uses Redis again (L1 cleared, the bus is back)');
      } else {
        this.logger.warn(
          `Redis or the cache bus is unavailable: reads go to the database, L1 entries are served for at most ${this.outageTtlMs} ms`,
        );
      }
    }
    return up;
  }

  /**
   * `p`, or a rejection after `factor` × CACHE_REDIS_TIMEOUT_MS. The rejection waits one more turn
   * (setImmediate, after the I/O poll): on a busy event loop, timers run before the socket reads of
   * the same turn, and a reply that has already arrived must not count as a timeout.
   */
  private bounded<T>(p: Promise<T>, factor = 1): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const ms = this.redisTimeoutMs * factor;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => setImmediate(() => reject(new Error(`Redis did not answer within ${ms} ms`))), ms);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private hit(namespace: string, tier: 'l1' | 'l2' | 'grace'): void {
    const field = tier === 'l1' ? 'l1Hits' : tier === 'l2' ? 'l2Hits' : 'graceHits';
    this.count(namespace, field);
    this.count(namespace, 'hits');
    this.metrics?.series.cacheHits.inc({ namespace, tier });
  }

  private count(namespace: string, field: Exclude<keyof CacheStats, 'loadMs'>): void {
    this.stats[field]++;
    this.nsStats(namespace)[field]++;
  }

  private nsStats(namespace: string): CacheStats {
    let s = this.byNamespace.get(namespace);
    if (!s) this.byNamespace.set(namespace, (s = emptyStats()));
    return s;
  }

  private lastErrorLog = 0;

  private error(namespace: string, what: string, err: unknown): void {
    this.count(namespace, 'errors');
    this.metrics?.series.cacheErrors.inc({ namespace });
    const now = Date.now();
    if (now - this.lastErrorLog > 60_000) {
      this.lastErrorLog = now;
      this.logger.warn(
        `cache ${what} failed for ${namespace}: ${(err as Error).message} (further failures within a minute are counted, not logged)`,
      );
    }
  }

  private entryKey(fk: string): string {
    return `cache{c}:e:${fk}`;
  }

  private versionKey(tag: string): string {
    return `cache{c}:tv:${tag}`;
  }

  private tagSetKey(tag: string): string {
    return `cache{c}:ts:${tag}`;
  }
}

function decodeOrUndefined<T>(text: string | undefined): T {
  return (text === undefined ? undefined : decode<T>(text)) as T;
}

/** The metric label of a tag: its family (`planet-member:3:9` → `planet-member`, `ns:travel:popular` → `travel:popular`). */
function tagFamily(tag: string): string {
  if (tag.startsWith('ns:')) return tag.slice(3);
  const i = tag.indexOf(':');
  return i < 0 ? tag : tag.slice(0, i);
}
