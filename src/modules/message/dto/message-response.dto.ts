import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MessageAttachment, MessageType } from '../message.enums';
import type { MessageRecord } from '../queries/message-row';

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
  @ApiProperty({
    example: '5120',
    description:
      "bigint as a string: where this state of the message is in its planet's change feed (GET /planets/:planetId/changes); larger is newer",
  })
  changeSeq!: string;
}

const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());

export function toMessageResponse(m: MessageRecord, sender?: MessageSenderDto | null): MessageResponseDto {
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
    changeSeq: String(m.changeSeq),
  };
}
