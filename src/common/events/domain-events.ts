import { Global, Injectable, Module } from '@nestjs/common';
import { EventEmitter } from 'node:events';

/** Every in-process domain event and its payload, declared once. */
export interface DomainEventMap {
  /** A user's ACTIVE membership of a planet began (active: true) or ended (active: false). */
  'planet.membership.changed': { planetId: number; userId: number; active: boolean };
}

/**
 * Synchronous in-process events between modules (e.g. planet membership → socket rooms), emitted
 * after the change is committed. Cross-node delivery is the listener's job (the Socket.IO adapter).
 */
@Injectable()
export class DomainEvents {
  private readonly emitter = new EventEmitter();

  emit<K extends keyof DomainEventMap>(event: K, payload: DomainEventMap[K]): void {
    this.emitter.emit(event, payload);
  }

  on<K extends keyof DomainEventMap>(event: K, listener: (payload: DomainEventMap[K]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }
}

@Global()
@Module({ providers: [DomainEvents], exports: [DomainEvents] })
export class DomainEventsModule {}
