import { BaseEntity, EntityManager } from 'typeorm';

type Concrete = { new (): BaseActiveRecord } & typeof BaseActiveRecord;
type Hook = () => Promise<void>;

/** Hooks registered inside a transaction of `BaseActiveRecord.transaction`, by its manager. */
const afterCommitHooks = new WeakMap<EntityManager, Hook[]>();

/**
 * Runs `hook` once the transaction of `m` has committed, before `transaction()` returns to its
 * caller (so before the request that made the change is answered); dropped on rollback. Cache
 * invalidation uses this: the writer static that changes a row also says which entries it stales.
 * Outside a `BaseActiveRecord.transaction` (a plain manager), the hook runs at once, unawaited.
 */
export function afterCommit(m: EntityManager, hook: Hook): void {
  const hooks = afterCommitHooks.get(m);
  if (hooks) hooks.push(hook);
  else void hook();
}

/**
 * The root of every entity (the seed's Active Record design): query and domain logic live on the
 * entity as statics; services stay thin. Statics that must run inside a caller's transaction take
 * an optional EntityManager.
 */
export abstract class BaseActiveRecord extends BaseEntity {
  /** Runs `work` in one transaction on this entity's DataSource, then its `afterCommit` hooks (awaited, in order). */
  static async transaction<R>(this: Concrete, work: (manager: EntityManager) => Promise<R>): Promise<R> {
    const hooks: Hook[] = [];
    const result = await this.getRepository().manager.transaction((m) => {
      afterCommitHooks.set(m, hooks);
      return work(m);
    });
    for (const hook of hooks) await hook();
    return result;
  }

  /** The manager to use: the caller's (inside a transaction) or this entity's default one. */
  static managerOf(this: Concrete, manager?: EntityManager): EntityManager {
    return manager ?? this.getRepository().manager;
  }
}
