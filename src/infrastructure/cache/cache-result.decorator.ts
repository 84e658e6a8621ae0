import { CacheRegistry } from './cache-registry';
import { DistributedCacheService } from './distributed-cache.service';

/**
 * Cache-aside for an async method (the seed's `@CacheResult(ttl)`): the result, JSON-serialised,
 * is kept in Redis for `ttlSeconds` under `namespace` (default `Class.method`) and the call
 * arguments. Results must be plain JSON data (not entity instances with methods or Dates that
 * callers rely on). Invalidate with `DistributedCacheService.invalidate(namespace)`.
 */
export function CacheResult(ttlSeconds: number, namespace?: string): MethodDecorator {
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => Promise<unknown>;
    const owner = typeof target === 'function' ? target.name : target.constructor.name;
    const ns = namespace ?? `${owner}.${String(propertyKey)}`;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      const cache = CacheRegistry.get();
      if (!cache) return original.apply(this, args);
      return cache.getOrLoad(ns, DistributedCacheService.keyOf(args), ttlSeconds, () => original.apply(this, args));
    };
    return descriptor;
  };
}
