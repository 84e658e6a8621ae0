import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DomainEvents } from '../../../common/events/domain-events';
import { planetRoom, userRoom } from '../../../infrastructure/socket/socket-rooms';
import type { MessageResponseDto } from '../dto/message-response.dto';
import type { ChatServer, MediaReady, ReceiptUpdated } from './socket-events';

/**
 * The one place that emits to sockets. Emits go through the Redis adapter, so they reach the
 * sockets of every node; REST and socket handlers use the same calls. Before the gateway is up
 * (or in a context without sockets) emits are no-ops.
 */
@Injectable()
export class MessageBroadcaster implements OnModuleInit, OnModuleDestroy {
  private server?: ChatServer;
  private unsubscribe?: () => void;

  constructor(private readonly events: DomainEvents) {}

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
    this.server?.to(planetRoom(message.planetId)).emit('message:new', message);
  }

  messageUpdated(message: MessageResponseDto): void {
    this.server?.to(planetRoom(message.planetId)).emit('message:updated', message);
  }

  messageDeleted(id: string, planetId: number, changeSeq: string): void {
    this.server?.to(planetRoom(planetId)).emit('message:deleted', { id, planetId, changeSeq });
  }

  /** A media item finished processing (READY or FAILED): to its uploader and the planets where it was posted. */
  mediaReady(payload: MediaReady, ownerId: number, planetIds: number[]): void {
    this.server?.to([userRoom(ownerId), ...planetIds.map(planetRoom)]).emit('media:ready', payload);
  }

  receiptUpdated(receipt: ReceiptUpdated): void {
    this.server?.to(planetRoom(receipt.planetId)).emit('receipt:updated', receipt);
  }
}
