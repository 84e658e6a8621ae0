import { Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { DomainEvents } from '../../../common/events/domain-events';
import { Metrics } from '../../../infrastructure/metrics/metrics.service';
import { planetRoom, userRoom } from '../../../infrastructure/socket/socket-rooms';
import type { MessageResponseDto } from '../dto/message-response.dto';
import type { ChatServer, MediaReady, ReceiptUpdated, ServerToClientEvents } from './socket-events';

/**
 * The one place that emits to sockets. Emits go through the Redis adapter, so they reach the
 * sockets of every node; REST and socket handlers use the same calls. Before the gateway is up
 * (or in a context without sockets) emits are no-ops.
 */
@Injectable()
export class MessageBroadcaster implements OnModuleInit, OnModuleDestroy {
  private server?: ChatServer;
  private unsubscribe?: () => void;

  constructor(
    private readonly events: DomainEvents,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  attach(server: ChatServer): void {
    this.server = server;
  }

  onModuleInit(): void {
    // Membership changes move the user's sockets on every node (the adapter broadcasts socketsJoin/Leave).
    this.unsubscribe = this.events.on('planet.membership.changed', ({ planetId, userId, active }) => {
      const sockets = this.server?.in(userRoom(userId));
      if (!sockets) return;
      if (active) sockets.socketsJoin(planetRoom(planetId));
      else sockets.socketsLeave(planetRoom(planetId));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  messageCreated(message: MessageResponseDto): void {
    this.emit(message.planetId, 'message:new', message);
  }

  messageUpdated(message: MessageResponseDto): void {
    this.emit(message.planetId, 'message:updated', message);
  }

  messageDeleted(id: string, planetId: number, changeSeq: string): void {
    this.emit(planetId, 'message:deleted', { id, planetId, changeSeq });
  }

  /** A media item finished processing (READY or FAILED): to its uploader and the planets where it was posted. */
  mediaReady(payload: MediaReady, ownerId: number, planetIds: number[]): void {
    this.server?.to([userRoom(ownerId), ...planetIds.map(planetRoom)]).emit('media:ready', payload);
  }

  receiptUpdated(receipt: ReceiptUpdated): void {
    this.emit(receipt.planetId, 'receipt:updated', receipt);
  }

  /** Emits to a planet's room, timed (connecto_socket_emit_duration_seconds): callers emit right after the commit. */
  private emit<E extends 'message:new' | 'message:updated' | 'message:deleted' | 'receipt:updated'>(
    planetId: number,
    event: E,
    payload: Parameters<ServerToClientEvents[E]>[0],
  ): void {
    if (!this.server) return;
    const start = performance.now();
    (this.server.to(planetRoom(planetId)).emit as (event: E, payload: unknown) => boolean)(event, payload);
    this.metrics?.series.socketEmitDuration.observe({ event }, (performance.now() - start) / 1000);
  }
}
