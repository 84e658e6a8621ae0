import { BaseEntity, EntityManager } from 'typeorm';

type Concrete = { new (): BaseActiveRecord } & typeof BaseActiveRecord;

/**
 * The root of every entity (the seed's Active Record design): query and domain logic live on the
 * entity as statics; services stay thin. Statics that must run inside a caller's transaction take
 * an optional EntityManager.
 */
export abstract class BaseActiveRecord extends BaseEntity {
  /** Runs `work` in one transaction on this entity's DataSource. */
  static transaction<R>(this: Concrete, work: (manager: EntityManager) => Promise<R>): Promise<R> {
    return this.getRepository().manager.transaction(work);
  }

  /** The manager to use: the caller's (inside a transaction) or this entity's default one. */
  static managerOf(this: Concrete, manager?: EntityManager): EntityManager {
    return manager ?? this.getRepository().manager;
  }
}
