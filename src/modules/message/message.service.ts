import { ReadReplicas } from '../../infrastructure/database/read-replicas';
import { Injectable } from '@nestjs/common';
import type { CurrentUserData } from '../../common/decorators/current-user.decorator';
import { AppException } from '../../common/errors/app.exception';
import { Media } from '../media/media.entity';
import { MediaKind } from '../media/media.enums';
import { MediaViews } from '../media/media-views';
import { PlanetUser } from '../planet/planet-user.entity';
import { PlanetRole } from '../planet/planet.enums';
import type { EditMessageDto } from './dto/edit-message.dto';
import type { ListChangesDto, MessageChangesResponseDto } from './dto/message-changes.dto';
import type { ListMessagesDto, MessageListResponseDto, MessageWithCountsDto } from './dto/list-messages.dto';
import { MessageResponseDto, toMessageResponse } from './dto/message-response.dto';
import { SearchResponseDto, toSearchResponse } from './dto/search-response.dto';
import type { SearchDto } from './dto/search.dto';
import type { SendMessageDto } from './dto/send-message.dto';
import { MessageBroadcaster } from './gateway/message-broadcaster';
import { Message } from './message.entity';
import { MessageAttachment, MessageType } from './message.enums';
import type { MessageWithCounts } from './queries/message-counts';
import { ReadReceiptBatcher } from './receipts/read-receipt-batcher';

/** Thin layer over the Message statics: access checks and DTO mapping. */
@Injectable()
export class MessageService {
  constructor(
    private readonly broadcaster: MessageBroadcaster,
    private readonly receipts: ReadReceiptBatcher,
    private readonly mediaViews: MediaViews,
    private readonly replicas: ReadReplicas,
  ) {}

  async search(user: CurrentUserData, dto: SearchDto): Promise<SearchResponseDto> {
    // Lag-tolerant (README "PostgreSQL read replicas"): a replica may answer, unless the caller just wrote.
    const response = toSearchResponse(await this.replicas.read(user.id, (manager) => Message.search(user, dto, manager)));
    // Hits show their media's current state and signed URLs, as listed messages do.
    await this.mediaViews.decorateAttachments(response.data);
    return response;
  }

  /** Persists (member check, reply check and insert in one statement), then broadcasts. A repeated clientId returns the first message. */
  async send(user: CurrentUserData, planetId: number, dto: SendMessageDto): Promise<MessageResponseDto> {
    const content = dto.content?.trim() ? dto.content : null;
    const mediaIds = dto.mediaIds ?? [];
    if (!content && mediaIds.length === 0) throw AppException.badRequest('content', 'is required when no media is attached');
    const attachments = await this.attachmentsOf(user.id, mediaIds);
    const outcome = await Message.insertForMember({
      planetId,
      senderId: user.id,
      type: attachments.length > 0 ? TYPE_OF_KIND[attachments[0].kind] : MessageType.TEXT,
      content,
      replyToMessageId: dto.replyToMessageId ?? null,
      attachments,
      clientId: dto.clientId ?? null,
    });
    // The sender's next reads (a list right after a send) stay on the primary, on every node.
    if (outcome.kind === 'created' || outcome.kind === 'duplicate') await this.replicas.markWrite(user.id);
    switch (outcome.kind) {
      case 'not-member':
        throw AppException.forbidden('You are not an active member of this planet');
      case 'bad-reply':
        throw AppException.badRequest('replyToMessageId', 'must reference a message in the same planet');
      case 'client-id-taken':
        throw AppException.conflict('clientId was already used for a message in another planet', 'clientId');
      case 'duplicate':
        return (await this.mediaViews.decorateAttachments([toMessageResponse(outcome.message, outcome.sender)]))[0];
      case 'created': {
        const [response] = await this.mediaViews.decorateAttachments([toMessageResponse(outcome.message, outcome.sender)]);
        this.broadcaster.messageCreated(response);
        return response;
      }
    }
  }

  /** A page with counts; `after` (oldest first) is what a reconnecting client uses to resync. */
  async list(user: CurrentUserData, planetId: number, dto: ListMessagesDto): Promise<MessageListResponseDto> {
    await this.requireMember(planetId, user.id); // on the primary: a membership just granted counts
    const page = await this.replicas.read(user.id, (manager) =>
      Message.findWithCounts(planetId, { before: dto.before, after: dto.after, limit: dto.limit }, manager),
    );
    return { data: await this.mediaViews.decorateAttachments(page.data.map(withCounts)), hasMore: page.hasMore };
  }

  /** The one resync cursor: every new, edited and deleted message after `since`, by change_seq (same access rule as list). */
  async changes(user: CurrentUserData, planetId: number, dto: ListChangesDto): Promise<MessageChangesResponseDto> {
    await this.requireMember(planetId, user.id);
    const page = await Message.findChanges(planetId, dto.since, dto.limit);
    return { data: page.data.map((c) => toMessageResponse(c.message, c.sender)), nextCursor: page.nextCursor, hasMore: page.hasMore };
  }

  async edit(user: CurrentUserData, messageId: string, dto: EditMessageDto): Promise<MessageResponseDto> {
    if (!dto.content.trim()) throw AppException.badRequest('content', 'must not be blank');
    const { message } = await this.visibleMessage(messageId, user.id);
    if (message.deletedAt) throw AppException.notFound('Message');
    if (message.senderId !== user.id) throw AppException.forbidden('Only the sender can edit a message');
    const edited = await Message.editContent(message, user.id, dto.content);
    if (!edited) throw AppException.notFound('Message');
    const response = toMessageResponse(edited.message, edited.sender);
    this.broadcaster.messageUpdated(response);
    return response;
  }

  /** Soft delete by the sender or an ADMIN of the planet; the message stays as a tombstone. Idempotent. */
  async remove(user: CurrentUserData, messageId: string): Promise<void> {
    const { message, membership } = await this.visibleMessage(messageId, user.id);
    if (message.senderId !== user.id && membership.role !== PlanetRole.ADMIN) {
      throw AppException.forbidden('Only the sender or a planet admin can delete a message');
    }
    if (message.deletedAt) return;
    const changeSeq = await Message.tombstone(message.id);
    if (changeSeq) this.broadcaster.messageDeleted(message.id, message.planetId, changeSeq);
  }

  /** "Read up to messageId": checked here, then coalesced; resolves once the batch is written (204 means durable). */
  async markRead(user: CurrentUserData, planetId: number, messageId: string): Promise<void> {
    const target = await Message.readTarget(planetId, user.id, messageId);
    if (!target.member) throw AppException.forbidden('You are not an active member of this planet');
    if (!target.message) throw AppException.notFound('Message');
    await this.receipts.markRead(planetId, user.id, messageId);
  }

  private async requireMember(planetId: number, userId: number): Promise<void> {
    if (!(await PlanetUser.isActiveMember(planetId, userId))) throw AppException.forbidden('You are not an active member of this planet');
  }

  /** The message, including tombstones, and the caller's ACTIVE membership of its live planet; else 404. */
  private async visibleMessage(messageId: string, userId: number): Promise<{ message: Message; membership: PlanetUser }> {
    const message = await Message.findOne({ where: { id: messageId }, withDeleted: true });
    const membership = message && (await PlanetUser.findActive(message.planetId, userId));
    if (!message || !membership) throw AppException.notFound('Message');
    return { message, membership };
  }

  private async attachmentsOf(userId: number, mediaIds: number[]): Promise<MessageAttachment[]> {
    if (mediaIds.length === 0) return [];
    const unique = [...new Set(mediaIds)];
    const media = await Media.findAttachable(userId, unique);
    if (media.length !== unique.length) throw AppException.badRequest('mediaIds', 'must be uploaded media of yours');
    const byId = new Map(media.map((m) => [m.id, m]));
    return unique.map((id) => {
      const m = byId.get(id) as Media;
      return { mediaId: m.id, kind: m.kind, fileName: m.fileName, mimeType: m.mimeType };
    });
  }
}

const TYPE_OF_KIND: Record<MediaKind, MessageType> = {
  [MediaKind.IMAGE]: MessageType.IMAGE,
  [MediaKind.VIDEO]: MessageType.VIDEO,
  [MediaKind.FILE]: MessageType.FILE,
};

function withCounts(item: MessageWithCounts): MessageWithCountsDto {
  return {
    ...toMessageResponse(item.message, item.sender),
    readCount: item.readCount,
    unreadCount: item.unreadCount,
    replyCount: item.replyCount,
  };
}
