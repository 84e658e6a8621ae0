import type { DistributedCacheService } from './distributed-cache.service';

/**
 * Where `@CacheResult` finds the running app's cache. Entity statics are plain static methods,
 * outside Nest's injector, so the cache service registers itself here at module init. With no
 * cache registered (CLI scripts, seed), decorated methods simply run.
 */
export class CacheRegistry {
  private static current: DistributedCacheService | undefined;

  static use(cache: DistributedCacheService): void {
    this.current = cache;
  }

  static release(cache: DistributedCacheService): void {
    if (this.current === cache) this.current = undefined;
  }

  static get(): DistributedCacheService | undefined {
    return this.current;
  }
}

/** Invalidates `tags` on every node through the registered cache; nothing to do without one. */
export function invalidateCacheTags(tags: string[]): Promise<void> {
  return CacheRegistry.get()?.invalidateTags(tags) ?? Promise.resolve();
}
