import { CacheRegistry } from './cache-registry';
import { DistributedCacheService } from './distributed-cache.service';

type AnyArgs = any[]; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface CacheResultOptions<A extends AnyArgs = AnyArgs> {
  /** Metric label and invalidation unit (`invalidate(namespace)`); default the class name. */
  namespace?: string;
  /** Tags of the entry, from the call's arguments: `invalidateTags` of any of them drops it on every node. */
  tags?: (...args: A) => string[];
  /** Stale values may be served this long past the TTL while the loader fails or is slow (default 0). */
  graceSeconds?: number;
  /** Bound of the entry in a node's memory (default: the TTL). */
  l1TtlSeconds?: number;
  /** Calls for which the cache is bypassed (e.g. inside a caller's transaction). */
  bypass?: (...args: A) => boolean;
  /** Whether to keep this result (default: every result but `undefined`); e.g. not "not found" when the thing may be created next. */
  store?: (value: unknown) => boolean;
  /** Turns the decoded JSON back into what the method returns (e.g. an entity instance); applied to hits and misses alike. */
  revive?: (value: unknown) => unknown;
}

/**
 * Cache-aside for an async method (the seed's `@CacheResult(ttl)`), on entity statics and service
 * methods alike: the result is kept in this node's L1 and in Redis for `ttlSeconds` (±10 %
 * jitter), keyed `<namespace>:<Class.method>:<stable hash of the arguments>`. Dates, bigints and
 * the shape round-trip exactly; a miss returns the same decoded copy a hit would. `this` is not
 * part of the key: on service methods, pass everything the result depends on as arguments.
 * With no cache registered (CLI scripts, seed) or CACHE_ENABLED=false, the method simply runs.
 */
export function CacheResult<A extends AnyArgs = AnyArgs>(
  ttlSeconds: number,
  options: string | CacheResultOptions<A> = {},
): MethodDecorator {
  const o: CacheResultOptions<A> = typeof options === 'string' ? { namespace: options } : options;
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: A) => Promise<unknown>;
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    const method = `${owner}.${String(propertyKey)}`;
    const namespace = o.namespace ?? owner;
    descriptor.value = async function (this: unknown, ...args: A) {
      const cache = CacheRegistry.get();
      if (!cache || o.bypass?.(...args)) return original.apply(this, args);
      const value = await cache.getOrLoad(
        namespace,
        DistributedCacheService.keyOf(method, args),
        { ttlSeconds, graceSeconds: o.graceSeconds, l1TtlSeconds: o.l1TtlSeconds, tags: o.tags?.(...args), store: o.store },
        () => original.apply(this, args),
      );
      return o.revive ? o.revive(value) : value;
    };
    return descriptor;
  };
}
