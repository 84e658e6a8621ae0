import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Message } from '../message.entity';
import { MessageAttachment, MessageType } from '../message.enums';

export class MessageSenderDto {
  @ApiProperty() id!: number;
  @ApiProperty() nickname!: string;
}

/**
 * The one shape of a message for REST, sockets, GET /planets (lastMessage) and search hits.
 * A deleted message is a tombstone: `deleted: true`, no content, no attachments.
 */
export class MessageResponseDto {
  @ApiProperty({ example: '1024', description: 'bigint as a string' }) id!: string;
  @ApiProperty() planetId!: number;
  @ApiProperty({ nullable: true, type: Number }) senderId!: number | null;
  @ApiPropertyOptional({ type: MessageSenderDto, nullable: true }) sender?: MessageSenderDto | null;
  @ApiProperty({ enum: MessageType }) type!: MessageType;
  @ApiProperty({ nullable: true, type: String }) content!: string | null;
  @ApiProperty({ nullable: true, type: String }) replyToMessageId!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) attachments!: MessageAttachment[];
  @ApiPropertyOptional({ nullable: true, type: String }) clientId?: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) editedAt!: string | null;
  @ApiProperty() deleted!: boolean;
}

const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());

export function toMessageResponse(m: Message, sender?: MessageSenderDto | null): MessageResponseDto {
  const deleted = m.deletedAt != null;
  return {
    id: String(m.id),
    planetId: m.planetId,
    senderId: m.senderId,
    ...(sender !== undefined ? { sender } : {}),
    type: m.type,
    content: deleted ? null : m.content,
    replyToMessageId: m.replyToMessageId == null ? null : String(m.replyToMessageId),
    attachments: deleted ? [] : (m.attachments ?? []),
    clientId: m.clientId ?? null,
    createdAt: iso(m.createdAt) as string,
    editedAt: iso(m.editedAt),
    deleted,
  };
}
