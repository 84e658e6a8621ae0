import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsBigId, ToInt } from '../../../common/validation/validators';
import { MessageResponseDto } from './message-response.dto';

export const MESSAGE_PAGE_MAX = 100;

/** Query of GET /planets/:planetId/messages: keyset pagination on the message id, never OFFSET. */
export class ListMessagesDto {
  @ApiPropertyOptional({ description: 'older than this id, newest first' })
  @IsOptional()
  @IsString()
  @IsBigId()
  before?: string;

  @ApiPropertyOptional({ description: 'newer than this id, oldest first (resync after a reconnect)' })
  @IsOptional()
  @IsString()
  @IsBigId()
  after?: string;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: MESSAGE_PAGE_MAX })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(MESSAGE_PAGE_MAX)
  limit = 50;
}

/** A message of a list page: the one message shape plus its counts (only lists carry them). */
export class MessageWithCountsDto extends MessageResponseDto {
  @ApiProperty({ description: 'ACTIVE members other than the sender whose read watermark has reached this message' }) readCount!: number;
  @ApiProperty({ description: 'ACTIVE members other than the sender who have not read it yet' }) unreadCount!: number;
  @ApiProperty({ description: 'Replies to this message that are not deleted' }) replyCount!: number;
}

export class MessageListResponseDto {
  @ApiProperty({ type: [MessageWithCountsDto] }) data!: MessageWithCountsDto[];
  @ApiProperty() hasMore!: boolean;
}
