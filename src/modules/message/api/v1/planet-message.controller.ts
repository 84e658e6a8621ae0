import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrors } from '../../../../common/openapi/api-errors.decorator';
import { CurrentUser, CurrentUserData } from '../../../../common/decorators/current-user.decorator';
import { IdPipe } from '../../../../common/pipes/id.pipe';
import { RateLimit } from '../../../../infrastructure/rate-limit/rate-limit.decorator';
import { ListChangesDto, MessageChangesResponseDto } from '../../dto/message-changes.dto';
import { ListMessagesDto, MessageListResponseDto } from '../../dto/list-messages.dto';
import { MessageResponseDto } from '../../dto/message-response.dto';
import { ReadMessagesDto } from '../../dto/read-messages.dto';
import { SendMessageDto } from '../../dto/send-message.dto';
import { MessageService } from '../../message.service';

/** A planet's messages: send, list (keyset), "read up to". Sends are broadcast to the planet's sockets on every node. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('planets/:planetId')
export class PlanetMessageController {
  constructor(private readonly messages: MessageService) {}

  @Post('messages')
  @RateLimit('send')
  @ApiOperation({ summary: 'Send a message (content and/or mediaIds); broadcast as message:new to the planet' })
  @ApiCreatedResponse({ type: MessageResponseDto })
  @ApiErrors({ 403: 'You are not an active member of this planet', 409: 'clientId was already used for a message in another planet' })
  send(
    @CurrentUser() user: CurrentUserData,
    @Param('planetId', IdPipe) planetId: number,
    @Body() dto: SendMessageDto,
  ): Promise<MessageResponseDto> {
    return this.messages.send(user, planetId, dto);
  }

  /** `before` → older, newest first; `after` → newer, oldest first (resync after a reconnect). */
  @Get('messages')
  @ApiOperation({ summary: 'A page of messages with readCount, unreadCount and replyCount (before: newest first; after: oldest first)' })
  @ApiOkResponse({ type: MessageListResponseDto })
  @ApiErrors({ 403: 'You are not an active member of this planet' })
  list(
    @CurrentUser() user: CurrentUserData,
    @Param('planetId', IdPipe) planetId: number,
    @Query() dto: ListMessagesDto,
  ): Promise<MessageListResponseDto> {
    return this.messages.list(user, planetId, dto);
  }

  /** The resync feed: every change after a cursor, oldest first, each message once in its latest state. */
  @Get('changes')
  @ApiOperation({
    summary: "Every change to the planet's messages since a cursor: new messages, edits and deletes, in order",
    description:
      'Resync after a reconnect, or catch up on a planet. Each item is a message in the one message shape (a deleted one as a tombstone) with its `changeSeq`; ' +
      'an edit or delete moves the message to a new, larger `changeSeq`, so every message appears once, in its latest state. Pages never skip or repeat a change, ' +
      'also while others write: call again with `nextCursor` while `hasMore`, then keep `nextCursor` for the next resync. ' +
      'Socket events `message:new`, `message:updated` and `message:deleted` carry the same `changeSeq`. Only ACTIVE members of the planet.',
  })
  @ApiOkResponse({ type: MessageChangesResponseDto })
  @ApiBadRequestResponse({
    description: '`since` is not a cursor (decimal digits within int8) or `limit` is out of range; `details` names the field',
  })
  @ApiForbiddenResponse({ description: 'not an ACTIVE member of the planet (as for the message list)' })
  changes(
    @CurrentUser() user: CurrentUserData,
    @Param('planetId', IdPipe) planetId: number,
    @Query() dto: ListChangesDto,
  ): Promise<MessageChangesResponseDto> {
    return this.messages.changes(user, planetId, dto);
  }

  /** Answers 204 once the (batched) watermark write has committed. */
  @Post('read')
  @RateLimit('read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark the planet read up to messageId (the read watermark only moves forward)' })
  @ApiNoContentResponse({ description: 'The watermark is stored' })
  @ApiErrors({ 403: 'You are not an active member of this planet', 404: 'No such message in this planet' })
  read(@CurrentUser() user: CurrentUserData, @Param('planetId', IdPipe) planetId: number, @Body() dto: ReadMessagesDto): Promise<void> {
    return this.messages.markRead(user, planetId, dto.messageId);
  }
}
